import * as tf from "@tensorflow/tfjs";
import { runFused } from "./fused/heap-io.js";

/** Square tile of the blocked channel transpose (keeps reads and writes within a few cache lines). */
const BLOCK = 32;

/** Kernel name of the filter flip on backends with host-visible memory (wasm heap views, cpu arrays). */
export const FLIP_FILTER = "TranssegFlipFilterSwapChannels";

/**
 * `out[kh − 1 − i, kw − 1 − j, o, c] = filter[i, j, c, o]`: a conv2d filter rotated by 180° with its
 * in/out channels swapped — what turns a conv2d's input gradient into a forward conv2d. One pass
 * over the values: on wasm and cpu the `TranssegFlipFilterSwapChannels` kernel reads and writes the
 * tensors' memory in place (on wasm the heap, without the two copies `dataSync` and a new tensor
 * cost); elsewhere through `dataSync` on the host. On wasm (4.22) `tf.reverse` and `tf.gather`
 * take ~50 ns per element (~350 ms for a 3×3×1920×384 filter); this takes a few ms.
 */
export function flipFilterSwapChannels(filter: tf.Tensor4D): tf.Tensor4D {
  if (filter.dtype !== "float32") throw new Error(`flipFilterSwapChannels: expected a float32 filter, got ${filter.dtype}`);
  if (tf.getKernel(FLIP_FILTER, tf.getBackend()) !== undefined) return tf.engine().runKernel(FLIP_FILTER, { filter }) as tf.Tensor4D;
  const [kh, kw, ci, co] = filter.shape;
  const out = new Float32Array(filter.size);
  flipInto(filter.dataSync() as Float32Array, out, kh * kw, ci, co);
  return tf.tensor4d(out, [kh, kw, co, ci]);
}

/** The flip of `src` (`taps` taps of `[ci, co]`) into `out` (`taps` taps of `[co, ci]`, in reverse order). */
function flipInto(src: Float32Array, out: Float32Array, taps: number, ci: number, co: number): void {
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
}

/** `flipFilterSwapChannels` as a kernel over the backend's memory (wasm heap views, cpu arrays). */
export function flipFilterKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: FLIP_FILTER,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const { filter } = inputs as { filter: tf.TensorInfo };
      if (filter.shape.length !== 4) throw new Error(`${FLIP_FILTER}: expected a 4D filter, got [${filter.shape.join(", ")}]`);
      const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
      return runFused(FLIP_FILTER, backend, [filter], [[kh, kw, co, ci]], ([src], [out]) => flipInto(src!, out!, kh * kw, ci, co))[0]!;
    },
  };
}
