import * as tf from "@tensorflow/tfjs";

/** Square tile of the blocked channel transpose (keeps reads and writes within a few cache lines). */
const BLOCK = 32;

/**
 * `out[kh − 1 − i, kw − 1 − j, o, c] = filter[i, j, c, o]`: a conv2d filter rotated by 180° with its
 * in/out channels swapped — what turns a conv2d's input gradient into a forward conv2d. One pass
 * over the values on the host (the filter is read with `dataSync`, so use it on host backends:
 * wasm, cpu). On wasm (4.22) `tf.reverse` and `tf.gather` take ~50 ns per element (~350 ms for a
 * 3×3×1920×384 filter); this takes a few ms.
 */
export function flipFilterSwapChannels(filter: tf.Tensor4D): tf.Tensor4D {
  if (filter.dtype !== "float32") throw new Error(`flipFilterSwapChannels: expected a float32 filter, got ${filter.dtype}`);
  const [kh, kw, ci, co] = filter.shape;
  const src = filter.dataSync() as Float32Array;
  const out = new Float32Array(src.length);
  const taps = kh * kw;
  const n = ci * co;
  // Rotating both spatial axes by 180° reverses the tap order: (kh−1−i)·kw + (kw−1−j) = taps−1 − (i·kw + j).
  for (let t = 0; t < taps; t++) {
    const from = t * n;
    const to = (taps - 1 - t) * n;
    for (let c0 = 0; c0 < ci; c0 += BLOCK) {
      const c1 = Math.min(ci, c0 + BLOCK);
      for (let o0 = 0; o0 < co; o0 += BLOCK) {
        const o1 = Math.min(co, o0 + BLOCK);
        for (let c = c0; c < c1; c++) {
          const row = from + c * co;
          for (let o = o0; o < o1; o++) out[to + o * ci + c] = src[row + o]!;
        }
      }
    }
  }
  return tf.tensor4d(out, [kh, kw, co, ci]);
}
