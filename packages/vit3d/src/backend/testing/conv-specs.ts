import * as tf from "@tensorflow/tfjs";
import type { KernelSpec } from "./compare-backends.js";

type Pad = "same" | "valid";

function conv2dSpec(name: string, x: number[], k: number[], strides: number | [number, number], pad: Pad): KernelSpec {
  return {
    name: `conv2d ${name}`,
    inputs: { x: { shape: x, grad: true }, k: { shape: k, grad: true, scale: 0.5 } },
    forward: ({ x, k }) => tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, strides, pad),
    linearIn: "k",
  };
}

function conv3dSpec(name: string, x: number[], k: number[], strides: number | [number, number, number], pad: Pad): KernelSpec {
  return {
    name: `conv3d ${name}`,
    inputs: { x: { shape: x, grad: true }, k: { shape: k, grad: true, scale: 0.5 } },
    forward: ({ x, k }) => tf.conv3d(x as tf.Tensor5D, k as tf.Tensor5D, strides, pad),
    linearIn: "k",
  };
}

/** Convolutions and their gradients: strides 1/2, same/valid, odd and even kernels, 1×1, patch embeddings. */
export const convSpecs: readonly KernelSpec[] = [
  conv2dSpec("3x3 s1 same", [2, 7, 8, 3], [3, 3, 3, 4], 1, "same"),
  conv2dSpec("3x3 s2 same (odd size)", [2, 7, 7, 3], [3, 3, 3, 4], 2, "same"),
  conv2dSpec("3x3 s2 valid", [2, 8, 9, 3], [3, 3, 3, 4], 2, "valid"),
  conv2dSpec("2x2 s2 same (even kernel)", [2, 7, 8, 3], [2, 2, 3, 4], 2, "same"),
  conv2dSpec("4x4 s1 same (even kernel)", [1, 6, 7, 2], [4, 4, 2, 3], 1, "same"),
  conv2dSpec("4x4 s2 valid (even kernel)", [2, 9, 8, 3], [4, 4, 3, 2], 2, "valid"),
  conv2dSpec("5x3 s[2,1] valid", [2, 9, 8, 2], [5, 3, 2, 3], [2, 1], "valid"),
  conv2dSpec("1x1 s1", [2, 5, 6, 4], [1, 1, 4, 3], 1, "same"),
  conv2dSpec("1x1 s2 valid", [2, 5, 6, 4], [1, 1, 4, 3], 2, "valid"),
  conv2dSpec("16x16 s16 patch embedding", [1, 32, 48, 3], [16, 16, 3, 8], 16, "valid"),
  conv2dSpec("4x4 s4 valid, ragged", [2, 10, 9, 2], [4, 4, 2, 3], 4, "valid"),
  {
    name: "conv2dTranspose 2x2 s2 (UPerNet fpn)",
    inputs: { x: { shape: [2, 4, 5, 6], grad: true }, k: { shape: [2, 2, 3, 6], grad: true, scale: 0.5 } },
    forward: ({ x, k }) => tf.conv2dTranspose(x as tf.Tensor4D, k as tf.Tensor4D, [2, 8, 10, 3], 2, "same"),
    linearIn: "k",
  },
  {
    name: "conv2dTranspose 3x3 s2 valid",
    inputs: { x: { shape: [1, 4, 3, 4], grad: true }, k: { shape: [3, 3, 2, 4], grad: true, scale: 0.5 } },
    forward: ({ x, k }) => tf.conv2dTranspose(x as tf.Tensor4D, k as tf.Tensor4D, [1, 9, 7, 2], 2, "valid"),
    linearIn: "x",
  },
  {
    name: "conv2d 3x3 dilation 2 (forward)",
    inputs: { x: { shape: [1, 9, 9, 2] }, k: { shape: [3, 3, 2, 3] } },
    forward: ({ x, k }) => tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, "same", "NHWC", 2),
  },
  conv3dSpec("3x3x3 s1 same", [2, 4, 5, 6, 2], [3, 3, 3, 2, 3], 1, "same"),
  conv3dSpec("3x3x3 s2 same", [1, 5, 6, 7, 2], [3, 3, 3, 2, 3], 2, "same"),
  conv3dSpec("2x2x2 s2 valid (even kernel)", [2, 5, 6, 4, 2], [2, 2, 2, 2, 3], 2, "valid"),
  conv3dSpec("3x2x4 s[1,2,2] valid", [1, 5, 7, 9, 2], [3, 2, 4, 2, 2], [1, 2, 2], "valid"),
  conv3dSpec("5x4x4 s[5,4,4] patch embedding", [2, 5, 8, 12, 1], [5, 4, 4, 1, 6], [5, 4, 4], "valid"),
  conv3dSpec("5x4x4 s[5,4,4] patch embedding, ragged", [1, 6, 9, 10, 2], [5, 4, 4, 2, 3], [5, 4, 4], "valid"),
  conv3dSpec("2x2x2 s2 same, odd sizes", [1, 3, 5, 7, 2], [2, 2, 2, 2, 3], 2, "same"),
];
