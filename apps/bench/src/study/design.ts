import { createHash } from "node:crypto";
import { getProfile, SYNTH_GENERATOR_VERSION } from "@transseg/datasets";
import { resolveId } from "@transseg/weights";
import { builtinBudgets } from "./budgets.js";
import type { StudyRegistries, StudySettings } from "./jobs.js";
import { builtinVariants } from "./variants.js";

/**
 * results.json `design`: what the numbers depend on besides the seeds' randomness (budget, task
 * profiles, synthetic generator, variants, sources, plugins, study options), hashed, so
 * that two result files can be told to measure the same thing. Timing, machine and file paths
 * are not part of it.
 */
export interface StudyDesign {
  /** SHA-256 of the canonical JSON of every part. */
  readonly sha256: string;
  /** `SYNTH_GENERATOR_VERSION` of @transseg/datasets (the synthetic data's generator). */
  readonly generator: string;
  /** Part name -> SHA-256 of its canonical JSON (which part changed between two designs). */
  readonly parts: Readonly<Record<string, string>>;
}

/** JSON with object keys sorted at every level (undefined and functions dropped, as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The parts of a study's design (see `StudyDesign`). */
export function designParts(settings: StudySettings, registries: StudyRegistries = {}): Record<string, unknown> {
  const variants = registries.variants ?? builtinVariants;
  const used = [...new Set([...settings.variants, ...(settings.strategies.length ? ["ours"] : [])])];
  return {
    budget: resolveId("budget", settings.budget, registries.budgets ?? builtinBudgets),
    profiles: Object.fromEntries(settings.datasets.map((d) => [d, getProfile(d, registries.profiles)])),
    generator: SYNTH_GENERATOR_VERSION,
    variants: Object.fromEntries(used.map((v) => [v, resolveId("variant", v, variants)])),
    sources: settings.sources.map((s) => ({ name: s.name, sha256: s.sha256, recipe: s.recipe })),
    // a plugin by what it is (name, version, the module's SHA-256, what it adds), not where it was found
    plugins: settings.plugins.map((p) => ({ name: p.name, version: p.version, sha256: p.sha256, provides: p.provides })),
    study: {
      datasets: settings.datasets, variants: settings.variants, strategies: settings.strategies, seeds: settings.seeds,
      dataSeed: settings.dataSeed, splitSeed: settings.splitSeed, split: settings.split, steps: settings.steps,
    },
  };
}

export function studyDesign(settings: StudySettings, registries: StudyRegistries = {}): StudyDesign {
  const parts = designParts(settings, registries);
  return {
    sha256: sha256(canonicalJson(parts)),
    generator: SYNTH_GENERATOR_VERSION,
    parts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, sha256(canonicalJson(v))])),
  };
}
