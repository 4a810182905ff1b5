/**
 * Percentiles with linear interpolation between the two nearest ranks, as NumPy's default
 * `np.percentile(a, q)` ("linear", Hyndman & Fan type 7) computes them, rounding included.
 */

/** The q-th percentile (0..100) of ascending `sorted` values; NaN when empty. */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 100)) throw new RangeError(`percentile ${q} is outside [0, 100]`);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const virtual = (n - 1) * (q / 100);
  if (virtual >= n - 1) return sorted[n - 1]!;
  const below = Math.floor(virtual);
  const a = sorted[below]!;
  const b = sorted[below + 1]!;
  const t = virtual - below;
  const diff = b - a;
  // NumPy's _lerp: interpolate from the nearer end, which keeps the result inside [a, b].
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** The q-th percentile (0..100) of `values` (any order; not modified); NaN when empty. */
export function percentile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  return percentileOfSorted(sorted, q);
}
