import { numel } from "@transseg/weights";

/**
 * How a parameter is stored on disk (PyTorch layout) versus in TensorFlow.js:
 * - `plain`: identical;
 * - `linear`: `[out, in]` → `[in, out]` (so `x @ W` runs without a transposed operand);
 * - `conv2d`: `[out, in, kh, kw]` → `[kh, kw, in, out]` (NHWC convolution filter);
 * - `conv-transpose-2d`: `[in, out, kh, kw]` → `[in, kh*kw*out]` (a stride = kernel transposed
 *   convolution is a matMul followed by a pixel shuffle);
 * - `patch`: Conv3d `[out, in, kd, kh, kw]` → `[in*kd*kh*kw, out]` (kernel = stride patch embedding
 *   as a matMul over flattened patches).
 */
export type ParamLayout = "plain" | "linear" | "conv2d" | "conv-transpose-2d" | "patch";

/** Generic axis permutation of a row-major array. */
export function permute(data: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  const stridesOut = perm.map((p) => inStrides[p]!);
  const out = new Float32Array(data.length);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src]!;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      src += stridesOut[d]!;
      if (idx[d]! < outShape[d]!) break;
      src -= stridesOut[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

function invert(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** The TensorFlow.js shape of a parameter with PyTorch shape `shape`. */
export function tfShape(layout: ParamLayout, shape: readonly number[]): number[] {
  const [a = 1, b = 1, c = 1, d = 1] = shape;
  switch (layout) {
    case "plain":
      return [...shape];
    case "linear":
      return [b, a];
    case "conv2d":
      return [c, d, b, a];
    case "conv-transpose-2d":
      return [a, c * d * b];
    case "patch":
      return [numel(shape) / a, a];
  }
}

/** PyTorch-layout values → TensorFlow.js-layout values. */
export function toTfLayout(layout: ParamLayout, shape: readonly number[], data: Float32Array): Float32Array {
  switch (layout) {
    case "plain":
      return data;
    case "linear":
      return permute(data, shape, [1, 0]);
    case "conv2d":
      return permute(data, shape, [2, 3, 1, 0]);
    case "conv-transpose-2d":
      return permute(data, shape, [0, 2, 3, 1]);
    case "patch":
      return permute(data, [shape[0]!, numel(shape) / shape[0]!], [1, 0]);
  }
}

/** TensorFlow.js-layout values → PyTorch-layout values (exact inverse of `toTfLayout`). */
export function toTorchLayout(layout: ParamLayout, shape: readonly number[], data: Float32Array): Float32Array {
  const [a = 1, b = 1, c = 1, d = 1] = shape;
  switch (layout) {
    case "plain":
      return data;
    case "linear":
      return permute(data, [b, a], [1, 0]);
    case "conv2d":
      return permute(data, [c, d, b, a], invert([2, 3, 1, 0]));
    case "conv-transpose-2d":
      return permute(data, [a, c, d, b], invert([0, 2, 3, 1]));
    case "patch":
      return permute(data, [numel(shape) / a, a], [1, 0]);
  }
}
