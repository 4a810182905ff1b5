import type { JsonMetricValue } from "@transseg/metrics";
import type { SplitSummary } from "@transseg/vit3d";
import type { OverlaySlice } from "./overlay.js";
import type { StudyDesign } from "./design.js";
import type { StudySettings } from "./jobs.js";
import type { StudyComparisons, StudySummary } from "./summary.js";

/** The outcome of one job (one dataset × column × seed), as results.json lists it. Dice as fractions (0–1). */
export interface JobResult {
  /** `<dataset>/<column>/s<seed>`. */
  readonly key: string;
  readonly dataset: string;
  /** `<variant>@<source>`, `<variant>` or `ours-<strategy>@<source>`. */
  readonly column: string;
  readonly variant: string;
  /** Pre-training source (null for a randomly initialised variant). */
  readonly source: string | null;
  /** Training seed. */
  readonly seed: number;
  /** The paper's name of the variant (Ours, w/o D, w/o T&D), with the source: "Ours (medical)". */
  readonly label: string;
  /** Inflation strategy of a checkpoint-initialised 3D model, null otherwise. */
  readonly strategy: string | null;
  readonly data: "synthetic" | "real";
  /** The train / validation / test split trained and evaluated on, and whether it is the paper's (absent in job files written before it was recorded). */
  readonly split?: SplitSummary;
  readonly testCases: readonly string[];
  /** Class id -> name, foreground only. */
  readonly classes: Readonly<Record<string, string>>;
  /** Mean over test cases per class (null = undefined in every case). */
  readonly dice: Readonly<Record<string, number | null>>;
  /** Mean of `dice` over `meanLabels` (the paper's reported labels, e.g. BTCV's 8 organs; else all foreground). */
  readonly meanDice: number | null;
  readonly meanLabels: readonly number[];
  /** HD95 in mm per class, mean over the cases where it is finite ("inf" = infinite in every case). */
  readonly hd95: Readonly<Record<string, JsonMetricValue>>;
  /** Mean of the finite per-class HD95 values. */
  readonly meanHd95: number | null;
  readonly steps: number;
  readonly bestStep: number | null;
  readonly bestValDice: number | null;
  readonly seeds: { readonly train: number; readonly split: number; readonly data: number | null };
  /** The resolved training options of the run (run.json), without its folders. */
  readonly train: Readonly<Record<string, unknown>>;
  /** Timing and environment: ignored when results are compared. */
  readonly trainSeconds: number;
  readonly evalSeconds: number;
  readonly environment: { readonly backend: string; readonly node: string };
}

/** What the report draws besides the numbers (kept out of results.json, in jobs/<key>.json). */
export interface JobExtras {
  readonly curve: readonly (readonly [number, number])[];
  readonly validation: readonly (readonly [number, number])[];
  readonly overlay: OverlaySlice | null;
}

/** A job's file: `<out>/jobs/<dataset>__<column>__s<seed>.json` (`jobFileName`). */
export interface JobFile {
  readonly format: typeof JOB_FORMAT;
  readonly result: JobResult;
  readonly extras: JobExtras;
}

export const JOB_FORMAT = "transseg-study-job/2";
export const RESULTS_FORMAT = "transseg-study-results/2";

/** results.json */
export interface StudyResults {
  readonly format: typeof RESULTS_FORMAT;
  readonly settings: StudySettings;
  /** The budget's options as used. */
  readonly budget: Readonly<Record<string, unknown>>;
  /** Hash of what the numbers depend on (budget, profiles, generator, variants, sources, seeds). */
  readonly design: StudyDesign;
  /** In matrix order. */
  readonly jobs: readonly JobResult[];
  /** Keys of the matrix without a result here (other shards, or not run yet). */
  readonly missing: readonly string[];
  /** Mean ± sd of meanDice over seeds per dataset and column; column means over datasets. */
  readonly summary: StudySummary;
  /** Paired differences between columns over datasets, with bootstrap intervals and verdicts. */
  readonly comparisons: StudyComparisons;
}

/** Fields that differ between two runs with the same seeds (timing, machine). */
export const TIMING_FIELDS = ["trainSeconds", "evalSeconds", "environment"] as const;

/** results.json without timing fields: what must be identical between a sharded and an unsharded run. */
export function withoutTiming(results: StudyResults): unknown {
  return {
    ...results,
    settings: { ...results.settings, sources: results.settings.sources.map(({ file: _file, ...rest }) => rest), plugins: results.settings.plugins.map(({ file: _file, ...rest }) => rest) },
    jobs: results.jobs.map((j) => Object.fromEntries(Object.entries(j).filter(([k]) => !(TIMING_FIELDS as readonly string[]).includes(k)))),
  };
}

export const jobFileName = (key: string) => `${key.replace(/\//g, "__")}.json`;
