import { createRng } from "@transseg/datasets";

/**
 * The statistics of the study, as pure functions of numbers: mean and sample standard
 * deviation over seeds, and a percentile bootstrap of a mean paired difference over datasets.
 */

export type Verdict = "holds" | "reversed" | "inconclusive";

export interface BootstrapOptions {
  /** Seed of the resampling stream (`createRng`, mulberry32). */
  readonly seed: number;
  readonly resamples: number;
  /** Coverage of the interval (0.95 = the 2.5th and 97.5th percentiles). */
  readonly confidence: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { seed: 20221, resamples: 10_000, confidence: 0.95 };

/** How percentiles are taken: said in results.json beside the interval. */
export const PERCENTILE_RULE = "type 7 (linear interpolation between order statistics, numpy's default): h = (n - 1) p, x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])";

/** Arithmetic mean; NaN for no values. */
export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (divisor n − 1); null for fewer than two values. */
export function sampleSd(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** The p-quantile (0 ≤ p ≤ 1) of values sorted ascending, by `PERCENTILE_RULE`. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error("quantile: no values");
  if (!(p >= 0 && p <= 1)) throw new Error(`quantile: p must lie in [0, 1] (got ${p})`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Percentile bootstrap interval of the mean: `resamples` times, draw n values with replacement
 * (indices from `createRng(seed)`), take their mean; the interval is the (1 − c)/2 and
 * (1 + c)/2 quantiles of those means. Null for fewer than two values.
 */
export function bootstrapMeanInterval(xs: readonly number[], o: BootstrapOptions = DEFAULT_BOOTSTRAP): readonly [number, number] | null {
  const n = xs.length;
  if (n < 2) return null;
  if (!(Number.isInteger(o.resamples) && o.resamples >= 1)) throw new Error(`bootstrap: resamples must be a positive integer (got ${o.resamples})`);
  if (!(o.confidence > 0 && o.confidence < 1)) throw new Error(`bootstrap: confidence must lie in (0, 1) (got ${o.confidence})`);
  const rng = createRng(o.seed);
  const means = new Float64Array(o.resamples);
  for (let r = 0; r < o.resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[rng.int(n)]!;
    means[r] = s / n;
  }
  means.sort();
  const tail = (1 - o.confidence) / 2;
  return [quantile(means, tail), quantile(means, 1 - tail)];
}

/** "holds" when the interval lies above zero, "reversed" below zero, "inconclusive" otherwise (or without an interval). */
export function verdictOf(interval: readonly [number, number] | null): Verdict {
  if (interval === null) return "inconclusive";
  if (interval[0] > 0) return "holds";
  if (interval[1] < 0) return "reversed";
  return "inconclusive";
}

export interface PairedSummary {
  /** Datasets with a difference. */
  readonly n: number;
  /** Mean paired difference (null without datasets). */
  readonly mean: number | null;
  /** Percentile bootstrap interval over datasets (null for fewer than two). */
  readonly interval: readonly [number, number] | null;
  /** Datasets where the difference is > 0. */
  readonly positive: number;
  readonly verdict: Verdict;
}

/** Mean, bootstrap interval, count of positive differences and verdict of per-dataset paired differences. */
export function pairedSummary(differences: readonly number[], o: BootstrapOptions = DEFAULT_BOOTSTRAP): PairedSummary {
  const interval = bootstrapMeanInterval(differences, o);
  return {
    n: differences.length,
    mean: differences.length ? mean(differences) : null,
    interval,
    positive: differences.filter((d) => d > 0).length,
    verdict: verdictOf(interval),
  };
}
