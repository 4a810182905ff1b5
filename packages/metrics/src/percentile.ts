/**
 * Percentiles with linear interpolation between the two nearest ranks, as NumPy's default
 * `np.percentile(a, q)` ("linear", Hyndman & Fan type 7) computes them, rounding included.
 * Found by selection in linear time; no sort.
 */

/** Rearranges `a` so that a[k] is the k-th smallest, smaller-or-equal values before it, larger-or-equal after. */
export function selectKth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    // median of three as the pivot, then Hoare partition
    const mid = (lo + hi) >>> 1;
    let x = a[lo]!;
    let y = a[mid]!;
    let z = a[hi]!;
    if (x > y) [x, y] = [y, x];
    if (y > z) {
      y = z;
      if (x > y) y = x;
    }
    const pivot = y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break; // j < k < i: a[k] equals the pivot
  }
  return a[k]!;
}

/** NumPy's _lerp: interpolate from the nearer end, which keeps the result inside [a, b]. */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

function checkQ(q: number): void {
  if (!(q >= 0 && q <= 100)) throw new RangeError(`percentile ${q} is outside [0, 100]`);
}

/** The q-th percentile (0..100) of ascending `sorted` values; NaN when empty. */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  checkQ(q);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const virtual = (n - 1) * (q / 100);
  if (virtual >= n - 1) return sorted[n - 1]!;
  const below = Math.floor(virtual);
  return lerp(sorted[below]!, sorted[below + 1]!, virtual - below);
}

/** The q-th percentile of `scratch`, which it reorders (selection, linear time); NaN when empty. */
export function percentileInPlace(scratch: Float64Array, q: number): number {
  checkQ(q);
  const n = scratch.length;
  if (n === 0) return Number.NaN;
  const virtual = (n - 1) * (q / 100);
  if (virtual >= n - 1) {
    let m = scratch[0]!;
    for (let i = 1; i < n; i++) if (scratch[i]! > m) m = scratch[i]!;
    return m;
  }
  const below = Math.floor(virtual);
  const a = selectKth(scratch, below);
  let b = Number.POSITIVE_INFINITY;
  for (let i = below + 1; i < n; i++) if (scratch[i]! < b) b = scratch[i]!;
  return lerp(a, b, virtual - below);
}

/** The q-th percentile (0..100) of `values` (any order; not modified); NaN when empty. */
export function percentile(values: ArrayLike<number>, q: number): number {
  return percentileInPlace(Float64Array.from(values), q);
}
