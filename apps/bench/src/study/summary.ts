import { type StudyColumn, type StudyRegistries, type StudySettings, studyColumns } from "./jobs.js";
import type { JobResult } from "./results.js";
import { plainLabels } from "./sources.js";
import { DEFAULT_BOOTSTRAP, mean, pairedSummary, PERCENTILE_RULE, sampleSd, type BootstrapOptions, type PairedSummary } from "./stats.js";
import { builtinVariants, type VariantRegistry } from "./variants.js";

/** Mean Dice of one dataset × column over the seeds that have a value (fractions 0–1). */
export interface SeedCell {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); null for one seed. */
  readonly sd: number | null;
  /** Seed -> meanDice. */
  readonly values: Readonly<Record<string, number>>;
}

/** results.json `summary`. */
export interface StudySummary {
  readonly columns: readonly StudyColumn[];
  /** Dataset -> column id -> cell (null: no seed has a value). */
  readonly cells: Readonly<Record<string, Readonly<Record<string, SeedCell | null>>>>;
  /** Column id -> mean over datasets of the seed means (null unless every dataset has one). */
  readonly means: Readonly<Record<string, number | null>>;
}

export type ComparisonKind = "depth" | "transfer-and-depth" | "transfer" | "source";

/** One paired comparison of two columns over datasets (differences as Dice fractions). */
export interface Comparison extends PairedSummary {
  /** `<a>-vs-<b>`. */
  readonly id: string;
  readonly kind: ComparisonKind;
  /** E.g. "Depth (Ours − w/o D, medical)". */
  readonly title: string;
  readonly a: string;
  readonly b: string;
  /** Dataset -> mean over common seeds of a minus that of b. */
  readonly differences: Readonly<Record<string, number>>;
}

/** results.json `comparisons`. */
export interface StudyComparisons {
  readonly bootstrap: BootstrapOptions & { readonly resampled: "datasets"; readonly percentile: string };
  readonly items: readonly Comparison[];
}

const round = (x: number) => Number(x.toFixed(6));

/** The values of one dataset × column over seeds (jobs without a value are left out). */
export function seedValues(jobs: readonly JobResult[], dataset: string, column: string, pick: (j: JobResult) => number | null): Map<number, number> {
  const out = new Map<number, number>();
  for (const j of jobs) {
    const v = j.dataset === dataset && j.column === column ? pick(j) : null;
    if (v !== null && Number.isFinite(v)) out.set(j.seed, v);
  }
  return out;
}

/** Mean over seeds of a job field (null when no seed has a value). */
export function seedMean(jobs: readonly JobResult[], dataset: string, column: string, pick: (j: JobResult) => number | null): number | null {
  const xs = [...seedValues(jobs, dataset, column, pick).values()];
  return xs.length ? mean(xs) : null;
}

/** Per dataset and column: mean, sample sd and n of meanDice over seeds; per column: the mean over datasets. */
export function summarize(settings: StudySettings, jobs: readonly JobResult[], registries: StudyRegistries = {}): StudySummary {
  const columns = studyColumns(settings, registries);
  const cells: Record<string, Record<string, SeedCell | null>> = {};
  for (const d of settings.datasets) {
    const row: Record<string, SeedCell | null> = (cells[d] = {});
    for (const c of columns) {
      const values = seedValues(jobs, d, c.id, (j) => j.meanDice);
      const xs = [...values.values()];
      const sd = sampleSd(xs);
      row[c.id] = xs.length ? { n: xs.length, mean: round(mean(xs)), sd: sd === null ? null : round(sd), values: Object.fromEntries(values) } : null;
    }
  }
  const means: Record<string, number | null> = {};
  for (const c of columns) {
    const xs = settings.datasets.map((d) => cells[d]![c.id]?.mean);
    means[c.id] = xs.length > 0 && xs.every((x) => x !== undefined) ? round(mean(xs as number[])) : null;
  }
  return { columns, cells, means };
}

/** Per dataset, a's mean minus b's mean over the seeds both have (datasets without a common seed are left out). */
export function pairedDifferences(summary: StudySummary, datasets: readonly string[], a: string, b: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of datasets) {
    const ca = summary.cells[d]?.[a];
    const cb = summary.cells[d]?.[b];
    if (!ca || !cb) continue;
    const common = Object.keys(ca.values).filter((s) => s in cb.values);
    if (common.length) out[d] = mean(common.map((s) => ca.values[s]!)) - mean(common.map((s) => cb.values[s]!));
  }
  return out;
}

/** The paper's roles: what each within-source comparison isolates. */
const WITHIN_SOURCE = [
  { kind: "depth", name: "Depth", a: "ours", b: "2d" },
  { kind: "transfer-and-depth", name: "Transfer and depth", a: "ours", b: "random" },
  { kind: "transfer", name: "Transfer", a: "2d", b: "random" },
] as const;
/** Variants compared between sources. */
const BETWEEN_SOURCES = ["ours", "2d"] as const;

/**
 * The comparisons of the study: for each source, depth (Ours − w/o D), transfer and depth
 * (Ours − w/o T&D) and transfer (w/o D − w/o T&D); between sources a, b (each pair once, in
 * source order), Ours(a) − Ours(b) and w/o D(a) − w/o D(b). Only those whose columns were run.
 */
export function compareColumns(settings: StudySettings, summary: StudySummary, registries: StudyRegistries = {}, bootstrap: BootstrapOptions = DEFAULT_BOOTSTRAP): StudyComparisons {
  const variants: VariantRegistry = registries.variants ?? builtinVariants;
  const label = (v: string) => variants[v]?.label ?? v;
  const column = (v: string, source: string) => summary.columns.find((c) => c.variant === v && c.strategy === null && (c.source === source || c.source === null));
  const names = settings.sources.map((s) => s.name);
  const plain = plainLabels(names);
  const items: Comparison[] = [];
  const add = (kind: ComparisonKind, title: string, a: StudyColumn | undefined, b: StudyColumn | undefined) => {
    if (!a || !b) return;
    const differences = pairedDifferences(summary, settings.datasets, a.id, b.id);
    const s = pairedSummary(Object.values(differences), bootstrap);
    items.push({
      id: `${a.id}-vs-${b.id}`, kind, title, a: a.id, b: b.id,
      differences: Object.fromEntries(Object.entries(differences).map(([d, x]) => [d, round(x)])),
      ...s, mean: s.mean === null ? null : round(s.mean), interval: s.interval && [round(s.interval[0]), round(s.interval[1])],
    });
  };
  for (const s of names) {
    for (const w of WITHIN_SOURCE) add(w.kind, `${w.name} (${label(w.a)} − ${label(w.b)}${plain ? "" : `, ${s}`})`, column(w.a, s), column(w.b, s));
  }
  names.forEach((sa, i) => {
    for (const sb of names.slice(i + 1)) {
      for (const v of BETWEEN_SOURCES) add("source", `Source (${label(v)}: ${sa} − ${sb})`, column(v, sa), column(v, sb));
    }
  });
  return { bootstrap: { ...bootstrap, resampled: "datasets", percentile: PERCENTILE_RULE }, items };
}

/** The mean of several loss curves at the steps every one of them has (one curve per seed). */
export function meanCurve(curves: readonly (readonly (readonly [number, number])[])[]): [number, number][] {
  if (curves.length === 0) return [];
  const maps = curves.map((c) => new Map(c));
  return curves[0]!.filter(([step]) => maps.every((m) => m.has(step))).map(([step]) => [step, mean(maps.map((m) => m.get(step)!))]);
}
