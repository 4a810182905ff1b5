/** Aggregation over cases: means that skip undefined values, pooled Dice, the BTCV organ mean. */
import { assertKnownId } from "./did-you-mean.js";
import { diceFromCounts } from "./overlap.js";
import { METRIC_NAMES, type AggregateResult, type CaseMetrics, type MeanMetrics, type MetricName } from "./types.js";

/** BTCV's 8-organ mean (TransSeg, the paper): spleen, right kidney, left kidney, gallbladder, liver, stomach, aorta, pancreas. */
export const BTCV_ORGAN_LABELS = [1, 2, 3, 4, 6, 7, 8, 11] as const;

export interface AggregateOptions {
  /** Classes to report; default: every class of any case, in ascending numeric order. */
  readonly classes?: readonly (number | string)[];
}

function classesOf(cases: readonly CaseMetrics[]): string[] {
  const keys = new Set<string>();
  for (const c of cases) for (const k of Object.keys(c)) keys.add(k);
  return [...keys].sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Per class: each metric's mean over the cases where it is finite (n), with the count of
 * infinite values (n_inf) beside it; NaN when no case is finite. Pooled Dice sums the voxel
 * counts of all cases. A case without an entry for a class does not count for that class.
 */
export function aggregate(cases: readonly CaseMetrics[], options: AggregateOptions = {}): AggregateResult {
  const classes = options.classes?.map(String) ?? classesOf(cases);
  const mean: Record<string, MeanMetrics> = {};
  const pooled: Record<string, number> = {};
  for (const cls of classes) {
    const sums = Object.fromEntries(METRIC_NAMES.map((m) => [m, 0])) as Record<MetricName, number>;
    const n = Object.fromEntries(METRIC_NAMES.map((m) => [m, 0])) as Record<MetricName, number>;
    const nInf = Object.fromEntries(METRIC_NAMES.map((m) => [m, 0])) as Record<MetricName, number>;
    let overlap = 0;
    let predVoxels = 0;
    let gtVoxels = 0;
    for (const c of cases) {
      const m = c[cls];
      if (m === undefined) continue;
      for (const name of METRIC_NAMES) {
        const v = m[name];
        if (Number.isFinite(v)) {
          sums[name] += v;
          n[name]++;
        } else if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) nInf[name]++;
      }
      overlap += m.overlap_voxels;
      predVoxels += m.pred_voxels;
      gtVoxels += m.gt_voxels;
    }
    const means = Object.fromEntries(METRIC_NAMES.map((m) => [m, n[m] > 0 ? sums[m] / n[m] : Number.NaN])) as Record<
      MetricName,
      number
    >;
    mean[cls] = { ...means, n, n_inf: nInf };
    pooled[cls] = diceFromCounts(overlap, predVoxels, gtVoxels);
  }
  return { cases: cases.length, mean, pooled_dice: pooled };
}

/** One metric of every class: `{ "1": 0.93, … }` from per-class metric objects. */
export function metricByClass(
  perClass: Readonly<Record<string, Readonly<Record<MetricName, number>>>>,
  metric: MetricName,
): Record<string, number> {
  assertKnownId("metric", metric, METRIC_NAMES);
  return Object.fromEntries(Object.entries(perClass).map(([cls, m]) => [cls, m[metric]]));
}

/** Mean of the values of `labels`, skipping missing and undefined (NaN) values; NaN if none. */
export function classMean(values: Readonly<Record<string, number>>, labels: readonly number[]): number {
  let s = 0;
  let n = 0;
  for (const l of labels) {
    const v = values[String(l)];
    if (v === undefined || Number.isNaN(v)) continue;
    s += v;
    n++;
  }
  return n > 0 ? s / n : Number.NaN;
}

/** BTCV's 8-organ mean (labels 1, 2, 3, 4, 6, 7, 8, 11) of per-class values, e.g. pooled Dice. */
export function btcvMean(values: Readonly<Record<string, number>>): number {
  return classMean(values, BTCV_ORGAN_LABELS);
}
