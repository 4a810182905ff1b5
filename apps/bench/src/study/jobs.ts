import { builtinProfiles, getProfile, type ProfileRegistry } from "@transseg/datasets";
import { builtinStrategies } from "@transseg/inflate";
import { resolveId } from "@transseg/weights";
import type { BudgetRegistry } from "./budgets.js";
import { builtinBudgets } from "./budgets.js";
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

export const STUDY_FORMAT = "transseg-study/1";

/** What defines a study's job matrix and every job's inputs; identical across shards. */
export interface StudySettings {
  readonly format: typeof STUDY_FORMAT;
  readonly budget: string;
  readonly datasets: readonly string[];
  readonly variants: readonly string[];
  /** Inflation strategies of the initialisation ablation (jobs of the `ours` model). */
  readonly strategies: readonly string[];
  /** Seed of model initialisation and window stream, the same for every job (paired comparison). */
  readonly seed: number;
  /** Train/val/test split seed (TransSeg's 1234). */
  readonly splitSeed: number;
  /** The 2D pre-trained encoder, as given, and its SHA-256. */
  readonly pretrained: { readonly file: string; readonly sha256: string } | null;
  /** Folder of real datasets (`<root>/<TaskName>/dataset.json`), or null: synthetic data only. */
  readonly root: string | null;
  /** Step count overriding the budget's (null = the budget's). */
  readonly steps: number | null;
}

/** One training + evaluation of the matrix. */
export interface StudyJob {
  /** `<dataset>/<variant>` or `<dataset>/ours-<strategy>`. */
  readonly key: string;
  readonly dataset: string;
  readonly variant: string;
  /** Inflation strategy (the variant's default, `center`, when null). */
  readonly strategy: string | null;
  /** Position in the full matrix (shards take every n-th). */
  readonly index: number;
}

export interface StudyRegistries {
  readonly profiles?: ProfileRegistry;
  readonly variants?: VariantRegistry;
  readonly budgets?: BudgetRegistry;
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

/** The job matrix in its fixed order: datasets, then variants, then strategies. */
export function buildJobs(settings: Pick<StudySettings, "datasets" | "variants" | "strategies">, registries: StudyRegistries = {}): StudyJob[] {
  const variants = registries.variants ?? builtinVariants;
  const jobs: StudyJob[] = [];
  for (const dataset of settings.datasets) {
    getProfile(dataset, registries.profiles);
    for (const v of settings.variants) {
      resolveId("variant", v, variants);
      jobs.push({ key: `${dataset}/${v}`, dataset, variant: v, strategy: null, index: jobs.length });
    }
    for (const s of settings.strategies) {
      resolveId("inflation strategy", s, builtinStrategies);
      if (s === "center" && settings.variants.includes("ours")) continue; // Ours is the centre-inflated model
      jobs.push({ key: `${dataset}/ours-${s}`, dataset, variant: "ours", strategy: s, index: jobs.length });
    }
  }
  return jobs;
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
