import type { PluginRecord } from "@transseg/cli";
import { builtinProfiles, getProfile, type ProfileRegistry } from "@transseg/datasets";
import { builtinStrategies, type StrategyRegistry } from "@transseg/inflate";
import type { LossRegistry } from "@transseg/vit3d";
import { resolveId, type AdapterRegistry } from "@transseg/weights";
import type { BudgetRegistry } from "./budgets.js";
import { builtinBudgets } from "./budgets.js";
import type { BundledEncoderRegistry } from "./bundled.js";
import { plainLabels, type StudySource } from "./sources.js";
import { builtinVariants, type VariantRegistry } from "./variants.js";

/** The 11 generalisation datasets of the paper (ACDC + the 10 MSD tasks); BTCV is the development set. */
export const STUDY_DATASETS = [
  "ACDC",
  "Task01_BrainTumour",
  "Task02_Heart",
  "Task03_Liver",
  "Task04_Hippocampus",
  "Task05_Prostate",
  "Task06_Lung",
  "Task07_Pancreas",
  "Task08_HepaticVessel",
  "Task09_Spleen",
  "Task10_Colon",
] as const;

/** Where the paper ran its initialisation ablation: BTCV, the development set (the default of `--strategies` without `--datasets`). */
export const ABLATION_DATASETS = ["BTCV"] as const;

export const STUDY_FORMAT = "transseg-study/2";

/** What defines a study's job matrix and every job's inputs; identical across shards. */
export interface StudySettings {
  readonly format: typeof STUDY_FORMAT;
  readonly budget: string;
  readonly datasets: readonly string[];
  readonly variants: readonly string[];
  /** Inflation strategies of the initialisation ablation (jobs of the `ours` model, per source). */
  readonly strategies: readonly string[];
  /** Training seeds (model initialisation and window stream); every job runs once per seed, the same seeds for every job (paired comparison). */
  readonly seeds: readonly number[];
  /** Seed of the synthetic data (mixed with each dataset's id); fixed across training seeds. */
  readonly dataSeed: number;
  /** Train/val/test split seed (TransSeg's 1234); fixed across training seeds. */
  readonly splitSeed: number;
  /** The 2D pre-trained encoders, in order; the checkpoint-initialised variants run once per source. Empty when no variant needs one. */
  readonly sources: readonly StudySource[];
  /** Folder of real datasets (each task's folder in the Decathlon layout or a raw download), or null: synthetic data only. */
  readonly root: string | null;
  /**
   * How the real datasets under `root` are split (null without root): `paper` = the paper's own
   * cases where a dataset holds the paper's list (`taskSplit`), else the seeded split; `seeded` =
   * the seeded split (study folders written before the paper's splits). Synthetic data always
   * take the seeded split.
   */
  readonly split: "paper" | "seeded" | null;
  /** Step count overriding the budget's (null = the budget's). */
  readonly steps: number | null;
  /** The plugins loaded (`--plugin`): name, version, SHA-256 of the module, what each added. */
  readonly plugins: readonly PluginRecord[];
}

/** One column of the tables: a variant, with its pre-training source when it starts from one. */
export interface StudyColumn {
  /** `<variant>@<source>`, `<variant>` (random init), or `ours-<strategy>@<source>` (ablation). */
  readonly id: string;
  readonly variant: string;
  readonly source: string | null;
  /** Inflation strategy of an ablation column (null = the variant's default, centre). */
  readonly strategy: string | null;
  /** The paper's name, with the source's name unless the study has one unnamed checkpoint: "Ours (medical)". */
  readonly label: string;
}

/** One training + evaluation of the matrix. */
export interface StudyJob {
  /** `<dataset>/<column>/s<seed>`, e.g. `Task09_Spleen/ours@medical/s1`. */
  readonly key: string;
  readonly dataset: string;
  readonly column: string;
  /** The column's label, e.g. "Ours (medical)". */
  readonly label: string;
  readonly variant: string;
  readonly source: string | null;
  /** Inflation strategy (the variant's default, `center`, when null). */
  readonly strategy: string | null;
  /** Training seed. */
  readonly seed: number;
  /** Position in the full matrix (shards take every n-th). */
  readonly index: number;
}

export interface StudyRegistries {
  readonly profiles?: ProfileRegistry;
  /** Inflation strategies of the ablation (default `builtinStrategies`; plugins add theirs). */
  readonly strategies?: StrategyRegistry;
  /** Source layouts the pre-trained checkpoints are read in (default `builtinAdapters`). */
  readonly adapters?: AdapterRegistry;
  /** Losses a budget may name (default `builtinLosses`). */
  readonly losses?: LossRegistry;
  readonly variants?: VariantRegistry;
  readonly budgets?: BudgetRegistry;
  /** Bundled encoders by source name (default `BUNDLED_ENCODERS`). */
  readonly encoders?: BundledEncoderRegistry;
}

/** `all`, or a comma list of profile ids (unknown ones fail with "did you mean"). */
export function parseDatasets(spec: string | undefined, profiles: ProfileRegistry = builtinProfiles): string[] {
  if (spec === undefined || spec === "all") return [...STUDY_DATASETS];
  const ids = spec.split(",").map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new Error(`--datasets: empty list (give "all" or ids such as ACDC,Task09_Spleen)`);
  for (const id of ids) getProfile(id, profiles);
  return [...new Set(ids)];
}

/** A comma list of ids of a registry (unknown ones fail with "did you mean"). */
export function parseIdList(what: string, spec: string, registry: Readonly<Record<string, unknown>>): string[] {
  const ids = spec.split(",").map((s) => s.trim()).filter(Boolean);
  for (const id of ids) resolveId(what, id, registry);
  return [...new Set(ids)];
}

/** Settings that shape the matrix (sources by name). */
export type MatrixSettings = Pick<StudySettings, "datasets" | "variants" | "strategies" | "seeds"> & { readonly sources: readonly { readonly name: string }[] };

function columnLabel(base: string, source: string | null, strategy: string | null, plain: boolean): string {
  const parts = [...(source !== null && !plain ? [source] : []), ...(strategy !== null ? [strategy] : [])];
  return parts.length ? `${base} (${parts.join(", ")})` : base;
}

/**
 * The columns in their fixed order: each variant (once per source when it starts from a
 * checkpoint, once when randomly initialised), then the ablation's strategies per source.
 */
export function studyColumns(settings: Omit<MatrixSettings, "datasets" | "seeds">, registries: StudyRegistries = {}): StudyColumn[] {
  const variants = registries.variants ?? builtinVariants;
  const sources = settings.sources.map((s) => s.name);
  const plain = plainLabels(sources);
  const columns: StudyColumn[] = [];
  const needSource = (what: string) => {
    if (sources.length === 0) throw new Error(`${what} needs a 2D pre-trained checkpoint (--pretrained)`);
  };
  for (const id of settings.variants) {
    const v = resolveId("variant", id, variants);
    if (v.init !== "checkpoint") {
      columns.push({ id, variant: id, source: null, strategy: null, label: v.label });
      continue;
    }
    needSource(`variant "${id}"`);
    for (const s of sources) columns.push({ id: `${id}@${s}`, variant: id, source: s, strategy: null, label: columnLabel(v.label, s, null, plain) });
  }
  for (const st of settings.strategies) resolveId("inflation strategy", st, registries.strategies ?? builtinStrategies);
  const strategies = settings.strategies.filter((st) => !(st === "center" && settings.variants.includes("ours"))); // Ours is the centre-inflated model
  if (strategies.length === 0) return columns;
  needSource("the initialisation ablation (--strategies)");
  const ours = resolveId("variant", "ours", variants);
  for (const s of sources) {
    for (const st of strategies) columns.push({ id: `ours-${st}@${s}`, variant: "ours", source: s, strategy: st, label: columnLabel(ours.label, s, st, plain) });
  }
  return columns;
}

/**
 * The job matrix in its fixed order: seeds, then datasets, then columns. Seed-major, so an
 * interrupted run has whole tables of its first seeds; shards (every n-th job) differ in size
 * by at most one job and each spans the seeds.
 */
export function buildJobs(settings: MatrixSettings, registries: StudyRegistries = {}): StudyJob[] {
  const columns = studyColumns(settings, registries);
  for (const d of settings.datasets) getProfile(d, registries.profiles);
  const jobs: StudyJob[] = [];
  for (const seed of settings.seeds) {
    for (const dataset of settings.datasets) {
      for (const c of columns) {
        jobs.push({ key: `${dataset}/${c.id}/s${seed}`, dataset, column: c.id, label: c.label, variant: c.variant, source: c.source, strategy: c.strategy, seed, index: jobs.length });
      }
    }
  }
  return jobs;
}

/** `--seeds 0,1,2`: distinct non-negative integers. */
export function parseSeeds(spec: string): number[] {
  const items = spec.split(",").map((s) => s.trim()).filter(Boolean);
  const seeds = items.map(Number);
  if (items.length === 0 || !seeds.every((n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32)) throw new Error(`--seeds: expected a comma list of non-negative integers (e.g. 0,1,2), got "${spec}"`);
  if (new Set(seeds).size !== seeds.length) throw new Error(`--seeds: a seed is given twice in "${spec}"`);
  return seeds;
}

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `i/n` with 0 ≤ i < n. */
export function parseShard(spec: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count)) throw new Error(`--shard: expected i/n with 0 <= i < n (e.g. 0/4), got "${spec}"`);
  return { index, count };
}

/** The jobs of one shard: every n-th job of the matrix, starting at i (deterministic, balanced across datasets). */
export function shardJobs(jobs: readonly StudyJob[], shard: Shard): StudyJob[] {
  return jobs.filter((j) => j.index % shard.count === shard.index);
}

/** Checks that a settings' budget exists (unknown ids fail with "did you mean"). */
export function resolveBudget(id: string, budgets: BudgetRegistry = builtinBudgets) {
  return resolveId("budget", id, budgets);
}
