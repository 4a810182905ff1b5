import { builtinProfiles, type ProfileRegistry } from "@transseg/datasets";
import type { StudyColumn } from "./jobs.js";
import type { StudyResults } from "./results.js";
import { plainLabels } from "./sources.js";
import type { Comparison, SeedCell } from "./summary.js";
import { seedMean } from "./summary.js";

/** A table as text cells, rendered by results.md and report.html alike. */
export interface TextTable {
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** The summary row (column means), when the table has one. */
  readonly footer?: readonly string[];
  /** Leading text columns (left-aligned; default 1): the others hold numbers. */
  readonly text?: number;
}

/** Dice fraction as a percentage with two decimals ("–" when absent). */
export const pct = (v: number | null | undefined) => (v === null || v === undefined ? "–" : (100 * v).toFixed(2));
export const num = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? "–" : v.toFixed(d));
/** A difference of Dice fractions in points, signed: "+3.10". */
export const points = (v: number) => `${v > 0 ? "+" : v < 0 ? "−" : ""}${Math.abs(100 * v).toFixed(2)}`;

/** "mean ± sd" in %, sd left out for one seed, "(n=k)" when fewer seeds than the study's. */
export function cellText(cell: SeedCell | null | undefined, seeds: number): string {
  if (!cell) return "–";
  return `${pct(cell.mean)}${cell.sd === null ? "" : ` ± ${pct(cell.sd)}`}${cell.n < seeds ? ` (n=${cell.n})` : ""}`;
}

/** The paper's Dice (%) of a dataset for a variant, when it reports one. */
export function paperDice(dataset: string, variant: string, profiles: ProfileRegistry = builtinProfiles): number | undefined {
  const p = profiles[dataset]?.paper;
  if (!p) return undefined;
  if (variant === "ours") return p.dice;
  if (variant === "2d") return p.diceWithoutDepth;
  if (variant === "random") return p.diceWithoutTransferAndDepth;
  return undefined;
}

/** The columns of Table 5 (variants × sources, without the ablation's). */
export const mainColumns = (results: StudyResults): StudyColumn[] => results.summary.columns.filter((c) => c.strategy === null);

export const dataKind = (results: StudyResults, dataset: string) => results.jobs.find((j) => j.dataset === dataset)?.data ?? "–";

/**
 * A row's data column: "synthetic", or for real data the split its jobs trained and were tested
 * on: "real, paper split" (the paper's own cases) or "real, seeded split".
 */
export function dataLabel(results: StudyResults, dataset: string): string {
  const jobs = results.jobs.filter((j) => j.dataset === dataset);
  const kind = jobs[0]?.data ?? "–";
  const splits = jobs.flatMap((j) => (j.split ? [j.split] : []));
  if (kind !== "real" || splits.length === 0) return kind;
  return splits.every((x) => x.paper) ? "real, paper split" : "real, seeded split";
}

/**
 * Table 5: datasets as rows, one column per variant × source with mean ± sd of the mean Dice
 * (%) over seeds, the paper's number after each variant's columns when data are real, and the
 * column means over datasets.
 */
export function diceTable(results: StudyResults, profiles: ProfileRegistry = builtinProfiles): TextTable {
  const s = results.settings;
  const columns = mainColumns(results);
  const anyReal = results.jobs.some((j) => j.data === "real");
  const paperAfter = (i: number) => {
    const v = columns[i]!.variant;
    const last = columns[i + 1]?.variant !== v;
    return last && anyReal && s.datasets.some((d) => paperDice(d, v, profiles) !== undefined) ? v : null;
  };
  const head = ["dataset", "data"];
  columns.forEach((c, i) => head.push(c.label, ...(paperAfter(i) ? [`paper ${c.label.replace(/ \(.*\)$/, "")}`] : [])));
  const rows = s.datasets.map((d) => {
    const cells = [d, dataLabel(results, d)];
    columns.forEach((c, i) => {
      cells.push(cellText(results.summary.cells[d]?.[c.id], s.seeds.length));
      const v = paperAfter(i);
      if (v) {
        const p = dataKind(results, d) === "real" ? paperDice(d, v, profiles) : undefined;
        cells.push(p === undefined ? "–" : p.toFixed(2));
      }
    });
    return cells;
  });
  const footer = ["mean", ""];
  columns.forEach((c, i) => footer.push(pct(results.summary.means[c.id]), ...(paperAfter(i) ? ["–"] : [])));
  return { head, rows, footer, text: 2 };
}

/** HD95 (mm) and training time (s), means over seeds, per dataset and column. */
export function hdTimeTable(results: StudyResults): TextTable {
  const columns = mainColumns(results);
  const head = ["dataset", ...columns.map((c) => `${c.label} HD95`), ...columns.map((c) => `${c.label} s`), "steps"];
  const rows = results.settings.datasets.map((d) => [
    d,
    ...columns.map((c) => num(seedMean(results.jobs, d, c.id, (j) => j.meanHd95))),
    ...columns.map((c) => num(seedMean(results.jobs, d, c.id, (j) => j.trainSeconds), 0)),
    String(results.jobs.find((j) => j.dataset === d)?.steps ?? "–"),
  ]);
  return { head, rows };
}

/** The initialisation ablation per source: Ours with each inflation strategy (mean ± sd, %). */
export function ablationTable(results: StudyResults): TextTable | null {
  const s = results.settings;
  if (!results.summary.columns.some((c) => c.strategy !== null)) return null;
  const order = s.sources.map((x) => x.name);
  const columns = results.summary.columns.filter((c) => c.variant === "ours").sort((a, b) => order.indexOf(a.source ?? "") - order.indexOf(b.source ?? ""));
  const plain = plainLabels(order);
  const head = ["dataset", ...columns.map((c) => `${plain ? "" : `${c.source}: `}${c.strategy ?? "center"}`)];
  const rows = s.datasets.map((d) => [d, ...columns.map((c) => cellText(results.summary.cells[d]?.[c.id], s.seeds.length))]);
  return { head, rows };
}

export const intervalText = (c: Comparison) => (c.interval ? `[${points(c.interval[0])}, ${points(c.interval[1])}]` : "–");

/** The comparisons: mean paired difference in Dice points, 95 % interval, positive datasets, verdict. */
export function comparisonTable(results: StudyResults): TextTable {
  const conf = Math.round(100 * results.comparisons.bootstrap.confidence);
  return {
    head: ["comparison", "mean difference (Dice points)", `${conf} % CI`, "positive datasets", "verdict"],
    rows: results.comparisons.items.map((c) => [c.title, c.mean === null ? "–" : points(c.mean), intervalText(c), `${c.positive}/${c.n}`, c.verdict]),
  };
}

/** One plain paragraph saying what held, what reversed and what is inconclusive. */
export function comparisonStatement(results: StudyResults): string {
  const items = results.comparisons.items;
  if (items.length === 0) return "No comparison: the study lacks the columns that would be compared.";
  const one = (c: Comparison) => `${c.title}: ${c.mean === null ? "no dataset" : `${points(c.mean)} points ${intervalText(c)}`}, positive on ${c.positive}/${c.n} datasets`;
  const group = (verdict: Comparison["verdict"], heading: string) => {
    const xs = items.filter((c) => c.verdict === verdict);
    return `${heading}: ${xs.length ? xs.map(one).join("; ") : "none"}.`;
  };
  const b = results.comparisons.bootstrap;
  return [
    group("holds", "Held (interval above zero)"),
    group("reversed", "Reversed (interval below zero)"),
    group("inconclusive", "Inconclusive (interval includes zero, or fewer than 2 datasets)"),
    `Intervals: ${Math.round(100 * b.confidence)} % percentile bootstrap over datasets (${b.resamples} resamples, seed ${b.seed}) of the per-dataset differences of seed means; they reflect the spread between datasets, not a test per dataset.`,
  ].join(" ");
}
