import * as tf from "@tensorflow/tfjs";
import { asTensor } from "./kernel-util.js";

/**
 * `out[s, …] = Σ_{i : ids[i] = s} x[i, …]` over `numSegments` segments; ids outside
 * `[0, numSegments)` are dropped (TensorFlow's rule). `ids` has the shape of a prefix of `x`.
 * A loop with float64 accumulation: gather's gradient on a relative-position table has ~10⁶
 * indices into ~4·10³ rows, where a one-hot matMul would need 4·10⁹ elements.
 */
export function unsortedSegmentSum(x: tf.Tensor, ids: tf.Tensor, numSegments: number): tf.Tensor {
  const prefix = ids.shape;
  if (prefix.some((d, i) => x.shape[i] !== d)) {
    throw new Error(`UnsortedSegmentSum: segment ids of shape [${prefix.join(", ")}] are not a prefix of data shape [${x.shape.join(", ")}]`);
  }
  const inner = x.shape.slice(prefix.length).reduce((a, b) => a * b, 1);
  const values = x.dataSync();
  const segments = ids.dataSync();
  const sums = new Float64Array(numSegments * inner);
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let j = 0; j < inner; j++) sums[to + j]! += values[from + j]!;
  }
  const dtype = x.dtype === "int32" ? "int32" : "float32";
  const out = dtype === "int32" ? Int32Array.from(sums) : Float32Array.from(sums);
  return tf.tensor(out, [numSegments, ...x.shape.slice(prefix.length)], dtype);
}

/** Kernel config for backends that lack `UnsortedSegmentSum` (wasm; needed by gather's gradient). */
export function unsortedSegmentSumKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.UnsortedSegmentSum,
    backendName,
    kernelFunc: ({ inputs, attrs }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const { numSegments } = attrs as unknown as { numSegments: number };
      return tf.tidy(() => unsortedSegmentSum(asTensor(x), asTensor(segmentIds), numSegments));
    },
  };
}
