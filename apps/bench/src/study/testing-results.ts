import { studyDesign } from "./design.js";
import { buildJobs, STUDY_FORMAT, type StudyRegistries, type StudySettings } from "./jobs.js";
import { overlaySlice } from "./overlay.js";
import { RESULTS_FORMAT, type JobExtras, type JobResult, type StudyResults } from "./results.js";
import { compareColumns, summarize } from "./summary.js";

/** Base Dice of each column in the sample (a column not listed gets 0.6). */
export const SAMPLE_BASE: Readonly<Record<string, number>> = { "ours@medical": 0.9, "ours@natural": 0.85, "2d@medical": 0.8, "2d@natural": 0.78, random: 0.7, "ours@pretrained": 0.9, "2d@pretrained": 0.8 };
/** Seed offsets: seeds 0, 1, 2 give −0.01, 0, +0.01 (sd 0.01, mean = the base). */
export const sampleNoise = (seed: number) => 0.01 * ((seed % 3) - 1);

export const SAMPLE_RECIPES = {
  medical: JSON.stringify({ format: "transseg-pretrain-2d/1", kind: "medical-like", profiles: ["BTCV"] }),
  natural: JSON.stringify({ format: "transseg-pretrain-2d/1", kind: "natural-like", profiles: [] }),
} as const;

export interface SampleOptions {
  readonly data?: "synthetic" | "real";
  readonly seeds?: readonly number[];
  /** Source names (default medical, natural; recipes from SAMPLE_RECIPES where named so). */
  readonly sources?: readonly string[];
  readonly strategies?: readonly string[];
  /** Datasets (default ACDC, Task09_Spleen). */
  readonly datasets?: readonly string[];
  /** Variants (default ours, 2d, random). */
  readonly variants?: readonly string[];
  /** Registries the strategies and datasets are resolved in (e.g. with a plugin's strategy). */
  readonly registries?: StudyRegistries;
}

/**
 * A hand-made StudyResults (ACDC and Task09_Spleen, Ours / w/o D per source and w/o T&D,
 * seeds 0–2 by default): meanDice = SAMPLE_BASE[column] − 0.05 × dataset index + sampleNoise(seed).
 */
export function sampleResults(o: SampleOptions = {}): { results: StudyResults; extras: JobExtras[] } {
  const data = o.data ?? "synthetic";
  const datasets = [...(o.datasets ?? ["ACDC", "Task09_Spleen"])];
  const sources = (o.sources ?? ["medical", "natural"]).map((name, i) => ({
    name, file: `/x/${name}.safetensors`, sha256: String(i).repeat(64), recipe: (SAMPLE_RECIPES as Record<string, string>)[name] ?? null,
  }));
  const settings: StudySettings = {
    format: STUDY_FORMAT, budget: "quick", datasets, variants: [...(o.variants ?? ["ours", "2d", "random"])], strategies: [...(o.strategies ?? [])],
    seeds: [...(o.seeds ?? [0, 1, 2])], dataSeed: 0, splitSeed: 1234, sources, root: data === "real" ? "/data" : null, split: data === "real" ? "paper" : null, steps: null, plugins: [],
  };
  // real data: the paper's split (as a --root study of the paper's lists); synthetic: the seeded one
  const split = data === "real" ? { paper: true, source: "the paper's list", valIsTest: false, train: 8, val: 1, test: 1 } : { paper: false, source: "splitCases (seed 1234)", valIsTest: false, train: 8, val: 1, test: 1 };
  const X = 8;
  const image = { data: Float32Array.from({ length: X * X * 3 }, (_, i) => i % 50), shape: [X, X, 3], spacing: [1, 1, 1], affine: [], datatype: "float32" } as never;
  const truth = Uint8Array.from({ length: X * X * 3 }, (_, i) => (i % X > 3 ? 1 : 0));
  const jobs: JobResult[] = [];
  const extras: JobExtras[] = [];
  for (const job of buildJobs(settings, o.registries)) {
    const di = datasets.indexOf(job.dataset);
    const ci = ["ours", "2d", "random"].indexOf(job.variant);
    const dice = Number(((SAMPLE_BASE[job.column] ?? 0.6) - 0.05 * di + sampleNoise(job.seed)).toFixed(6));
    jobs.push({
      key: job.key, dataset: job.dataset, column: job.column, variant: job.variant, source: job.source, seed: job.seed, label: job.label,
      strategy: job.variant === "ours" ? (job.strategy ?? "center") : null, data, split,
      testCases: ["case_1"], classes: { "1": "a<b" }, dice: { "1": dice }, meanDice: dice, meanLabels: [1],
      hd95: { "1": 3 + ci }, meanHd95: 3 + ci + job.seed, steps: 10, bestStep: 10, bestValDice: 0.5, seeds: { train: job.seed, split: 1234, data: 1 },
      train: {}, trainSeconds: 1, evalSeconds: 1, environment: { backend: "cpu", node: "v20" },
    });
    extras.push({ curve: [[1, 1 - 0.1 * ci + 0.01 * job.seed], [2, 0.8], [3, 0.5]], validation: [[3, dice]], overlay: overlaySlice("case_1", image, truth, truth, 1, null) });
  }
  const summary = summarize(settings, jobs, o.registries);
  const results: StudyResults = {
    format: RESULTS_FORMAT, settings, budget: {}, design: studyDesign(settings, o.registries), jobs, missing: [], summary, comparisons: compareColumns(settings, summary, o.registries),
  };
  return { results, extras };
}
