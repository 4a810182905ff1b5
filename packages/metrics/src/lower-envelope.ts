/**
 * One-dimensional squared Euclidean distance transform of a sampled function (Felzenszwalb &
 * Huttenlocher): f[q] <- min over p of f[p] + ((q - p) * h)^2, via the lower envelope of the
 * parabolas rooted at the finite samples. Linear time, in place, on a strided line.
 */

/** Scratch buffers for lines of up to `n` samples. */
export interface EnvelopeScratch {
  /** Positions of the envelope's parabolas. */
  readonly sites: Int32Array;
  /** f at those positions. */
  readonly values: Float64Array;
  /** f[p] + (p h)^2 at those positions. */
  readonly heights: Float64Array;
  /** Where each parabola starts to be the lowest. */
  readonly bounds: Float64Array;
}

export function envelopeScratch(n: number): EnvelopeScratch {
  return { sites: new Int32Array(n), values: new Float64Array(n), heights: new Float64Array(n), bounds: new Float64Array(n + 1) };
}

/**
 * Transforms the line `f[start + i * stride]`, i < n, in place, with sample spacing `h`.
 * Infinite samples root no parabola. Returns false, leaving the line untouched, when every
 * sample is infinite. Each result is f[p] + ((q - p) * h)^2 computed in that order, so that a
 * chain of passes sums the per-axis terms in axis order as scipy's `distance_transform_edt` does.
 */
export function lowerEnvelope(f: Float64Array, n: number, h: number, scratch: EnvelopeScratch, start = 0, stride = 1): boolean {
  const { sites, values, heights, bounds } = scratch;
  const w = h * h;
  let k = -1;
  for (let q = 0, iq = start; q < n; q++, iq += stride) {
    const fq = f[iq]!;
    if (fq === Number.POSITIVE_INFINITY) continue;
    const hq = fq + w * q * q;
    if (k < 0) {
      k = 0;
      sites[0] = q;
      values[0] = fq;
      heights[0] = hq;
      bounds[0] = Number.NEGATIVE_INFINITY;
      continue;
    }
    let s: number;
    for (;;) {
      s = (hq - heights[k]!) / (2 * w * (q - sites[k]!));
      if (s > bounds[k]!) break;
      k--; // never below 0: bounds[0] is -Infinity
    }
    k++;
    sites[k] = q;
    values[k] = fq;
    heights[k] = hq;
    bounds[k] = s;
  }
  if (k < 0) return false;
  bounds[k + 1] = Number.POSITIVE_INFINITY;
  let j = 0;
  for (let q = 0, iq = start; q < n; q++, iq += stride) {
    while (bounds[j + 1]! < q) j++;
    const d = (q - sites[j]!) * h;
    f[iq] = values[j]! + d * d;
  }
  return true;
}
