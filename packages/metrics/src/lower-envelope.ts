/**
 * One-dimensional squared Euclidean distance transform of a sampled function (Felzenszwalb &
 * Huttenlocher): out[q] = min over p of f[p] + ((q - p) * h)^2, via the lower envelope of the
 * parabolas rooted at the finite samples. Linear time. Infinite samples are not parabolas.
 */

/** Scratch buffers for lines of up to `n` samples. */
export interface EnvelopeScratch {
  readonly sites: Int32Array;
  readonly bounds: Float64Array;
}

export function envelopeScratch(n: number): EnvelopeScratch {
  return { sites: new Int32Array(n), bounds: new Float64Array(n + 1) };
}

/**
 * Transforms `f[0..n)` into `out[0..n)` (they may not alias) with sample spacing `h`.
 * Returns false, leaving `out` untouched, when every sample is infinite.
 * Each value is written as f[p] + ((q - p) * h)^2 in that order, so that a chain of passes
 * sums the per-axis terms in axis order, as scipy's `distance_transform_edt` does.
 */
export function lowerEnvelope(f: Float64Array, n: number, h: number, out: Float64Array, scratch: EnvelopeScratch): boolean {
  const v = scratch.sites;
  const z = scratch.bounds;
  const w = h * h;
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q]!;
    if (fq === Number.POSITIVE_INFINITY) continue;
    const hq = fq + w * q * q;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = Number.NEGATIVE_INFINITY;
      z[1] = Number.POSITIVE_INFINITY;
      continue;
    }
    let s: number;
    for (;;) {
      const p = v[k]!;
      s = (hq - (f[p]! + w * p * p)) / (2 * w * (q - p));
      if (s > z[k]!) break;
      k--; // never below 0: z[0] is -Infinity
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Number.POSITIVE_INFINITY;
  }
  if (k < 0) return false;
  let j = 0;
  for (let q = 0; q < n; q++) {
    while (z[j + 1]! < q) j++;
    const p = v[j]!;
    const d = (q - p) * h;
    out[q] = f[p]! + d * d;
  }
  return true;
}
