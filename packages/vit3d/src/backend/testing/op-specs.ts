import * as tf from "@tensorflow/tfjs";
import type { KernelSpec } from "./compare-backends.js";

const gelu = (x: tf.Tensor): tf.Tensor => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));

function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

/** Indices `[0, n)` in a fixed scrambled order with repeats (a relative-position-index stand-in). */
function indices(count: number, n: number): number[] {
  return Array.from({ length: count }, (_, i) => (i * 7 + ((i * i) % 5)) % n);
}

/** The other ops a ViT encoder and UPerNet decoder training step use, forward and backward. */
export const opSpecs: readonly KernelSpec[] = [
  {
    name: "batchNorm (running statistics)",
    inputs: { x: { shape: [2, 3, 4, 5], grad: true }, mean: { shape: [5], grad: true }, variance: { shape: [5], values: [0.5, 1, 1.5, 2, 0.25] }, offset: { shape: [5], grad: true }, scale: { shape: [5], grad: true } },
    forward: ({ x, mean, variance, offset, scale }) => tf.batchNorm(x!, mean!, variance!, offset!, scale!, 1e-5),
  },
  {
    name: "batchNorm (training: moments over N,H,W)",
    inputs: { x: { shape: [2, 3, 4, 5], grad: true }, offset: { shape: [5], grad: true }, scale: { shape: [5], grad: true } },
    forward: ({ x, offset, scale }) => {
      const { mean, variance } = tf.moments(x!, [0, 1, 2]);
      return tf.batchNorm(x!, mean, variance, offset!, scale!, 1e-5);
    },
  },
  {
    name: "resizeBilinear up, half-pixel centres",
    inputs: { x: { shape: [2, 5, 3, 4], grad: true } },
    forward: ({ x }) => tf.image.resizeBilinear(x as tf.Tensor4D, [8, 7], false, true),
    linearIn: "x",
  },
  {
    name: "resizeBilinear x4, half-pixel centres",
    inputs: { x: { shape: [1, 4, 4, 3], grad: true } },
    forward: ({ x }) => tf.image.resizeBilinear(x as tf.Tensor4D, [16, 16], false, true),
    linearIn: "x",
  },
  {
    name: "resizeBilinear, align corners",
    inputs: { x: { shape: [1, 4, 6, 2], grad: true } },
    forward: ({ x }) => tf.image.resizeBilinear(x as tf.Tensor4D, [7, 9], true, false),
    linearIn: "x",
  },
  {
    name: "resizeBilinear, legacy (no half-pixel centres)",
    inputs: { x: { shape: [1, 5, 4, 2], grad: true } },
    forward: ({ x }) => tf.image.resizeBilinear(x as tf.Tensor4D, [8, 9]),
    linearIn: "x",
  },
  {
    name: "resizeBilinear down, half-pixel centres",
    inputs: { x: { shape: [1, 9, 8, 2], grad: true } },
    forward: ({ x }) => tf.image.resizeBilinear(x as tf.Tensor4D, [4, 3], false, true),
    linearIn: "x",
  },
  { name: "maxPool 2x2 s2", inputs: { x: { shape: [2, 6, 8, 3], grad: true } }, forward: ({ x }) => tf.maxPool(x as tf.Tensor4D, 2, 2, "valid") },
  { name: "maxPool 3x3 s2 same", inputs: { x: { shape: [1, 7, 7, 2], grad: true } }, forward: ({ x }) => tf.maxPool(x as tf.Tensor4D, 3, 2, "same") },
  { name: "maxPool 2x2 s2, 1 channel", inputs: { x: { shape: [2, 4, 6, 1], grad: true } }, forward: ({ x }) => tf.maxPool(x as tf.Tensor4D, 2, 2, "valid") },
  { name: "maxPool 3x3 s1 same, 16 channels", inputs: { x: { shape: [1, 5, 5, 16], grad: true } }, forward: ({ x }) => tf.maxPool(x as tf.Tensor4D, 3, 1, "same") },
  { name: "avgPool 2x2 s2", inputs: { x: { shape: [2, 6, 8, 3], grad: true } }, forward: ({ x }) => tf.avgPool(x as tf.Tensor4D, 2, 2, "valid"), linearIn: "x" },
  { name: "avgPool 3x3 s1 same", inputs: { x: { shape: [1, 5, 6, 2], grad: true } }, forward: ({ x }) => tf.avgPool(x as tf.Tensor4D, 3, 1, "same"), linearIn: "x" },
  { name: "erf GELU", inputs: { x: { shape: [4, 33], grad: true, scale: 2 } }, forward: ({ x }) => gelu(x!) },
  { name: "relu, sigmoid, tanh", inputs: { x: { shape: [3, 17], grad: true } }, forward: ({ x }) => tf.add(tf.add(tf.relu(x!), tf.sigmoid(x!)), tf.tanh(x!)) },
  { name: "exp, log, sqrt, square, pow", inputs: { x: { shape: [3, 11], grad: true } }, forward: ({ x }) => {
    const p = tf.add(tf.abs(x!), 0.5);
    return tf.addN([tf.exp(tf.mul(x!, 0.5)), tf.log(p), tf.sqrt(p), tf.square(x!), tf.pow(p, 1.5)]);
  } },
  {
    name: "gather rows of a relative-position table (repeated indices)",
    inputs: { table: { shape: [23, 4], grad: true }, index: { shape: [9, 9], dtype: "int32", values: indices(81, 23) } },
    forward: ({ table, index }) => tf.reshape(tf.gather(table!, tf.reshape(index!, [-1])), [9, 9, 4]),
    linearIn: "table",
  },
  {
    name: "gather axis 1",
    inputs: { x: { shape: [3, 10, 2], grad: true }, index: { shape: [6], dtype: "int32", values: [9, 0, 3, 3, 7, 0] } },
    forward: ({ x, index }) => tf.gather(x!, index!, 1),
    linearIn: "x",
  },
  {
    name: "gatherND (forward; tfjs has no GatherNd gradient on any backend)",
    inputs: { x: { shape: [4, 5, 3] }, index: { shape: [6, 2], dtype: "int32", values: [0, 1, 3, 4, 0, 1, 2, 2, 3, 0, 1, 4] } },
    forward: ({ x, index }) => tf.gatherND(x!, index!),
  },
  {
    name: "unsortedSegmentSum",
    inputs: { x: { shape: [7, 3], grad: true }, ids: { shape: [7], dtype: "int32", values: [2, 0, 2, 4, 3, 1, 2] } },
    forward: ({ x, ids }) => tf.unsortedSegmentSum(x!, ids as tf.Tensor1D, 6),
    linearIn: "x",
  },
  {
    name: "unsortedSegmentSum, ids out of range dropped (forward)",
    inputs: { x: { shape: [7, 3] }, ids: { shape: [7], dtype: "int32", values: [2, 0, 2, 4, -1, 1, 5] } },
    forward: ({ x, ids }) => tf.unsortedSegmentSum(x!, ids as tf.Tensor1D, 5),
  },
  { name: "softmax", inputs: { x: { shape: [2, 3, 9], grad: true, scale: 3 } }, forward: ({ x }) => tf.softmax(x!) },
  { name: "logSoftmax axis 1", inputs: { x: { shape: [2, 4, 3], grad: true, scale: 3 } }, forward: ({ x }) => tf.logSoftmax(tf.transpose(x!, [0, 2, 1])) },
  {
    name: "layer norm via moments (eps 1e-6)",
    inputs: { x: { shape: [2, 5, 16], grad: true }, gamma: { shape: [16], grad: true }, beta: { shape: [16], grad: true } },
    forward: ({ x, gamma, beta }) => layerNorm(x!, gamma!, beta!, 1e-6),
  },
  ...([[false, false], [true, false], [false, true], [true, true]] as const).map(([ta, tb]): KernelSpec => ({
    name: `batched matMul transposeA=${ta} transposeB=${tb}`,
    inputs: { a: { shape: ta ? [3, 6, 5] : [3, 5, 6], grad: true }, b: { shape: tb ? [3, 4, 6] : [3, 6, 4], grad: true } },
    forward: ({ a, b }) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, ta, tb),
  })),
  ...([[false, false], [true, false], [false, true], [true, true]] as const).map(([ta, tb]): KernelSpec => ({
    name: `fused matMul + bias + relu, transposeA=${ta} transposeB=${tb}`,
    inputs: { a: { shape: ta ? [6, 5] : [5, 6], grad: true }, b: { shape: tb ? [4, 6] : [6, 4], grad: true }, bias: { shape: [4], grad: true } },
    forward: ({ a, b, bias }) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeA: ta, transposeB: tb, bias: bias!, activation: "relu" }),
  })),
  {
    name: "matMul with broadcast batch dimensions, transposeB (forward; tfjs-core's gradient does not reduce broadcast dimensions)",
    inputs: { a: { shape: [2, 3, 5, 6] }, b: { shape: [1, 3, 4, 6] } },
    forward: ({ a, b }) => tf.matMul(a!, b!, false, true),
  },
  {
    name: "attention: softmax(q kᵀ / √d + bias) v",
    inputs: { q: { shape: [2, 3, 7, 8], grad: true }, k: { shape: [2, 3, 7, 8], grad: true }, v: { shape: [2, 3, 7, 8], grad: true }, bias: { shape: [3, 7, 7], grad: true } },
    forward: ({ q, k, v, bias }) => tf.matMul(tf.softmax(tf.add(tf.mul(tf.matMul(q!, k!, false, true), 1 / Math.sqrt(8)), bias!)), v!),
  },
  { name: "pad", inputs: { x: { shape: [2, 3, 4, 2], grad: true } }, forward: ({ x }) => tf.pad(x!, [[0, 0], [1, 2], [0, 3], [0, 0]]), linearIn: "x" },
  { name: "concat axis 3", inputs: { a: { shape: [2, 3, 4, 2], grad: true }, b: { shape: [2, 3, 4, 5], grad: true } }, forward: ({ a, b }) => tf.concat([a!, b!], 3) },
  { name: "slice", inputs: { x: { shape: [3, 6, 5], grad: true } }, forward: ({ x }) => tf.slice(x!, [1, 2, 0], [2, 3, 4]), linearIn: "x" },
  { name: "stridedSlice (forward; tfjs has no StridedSlice gradient)", inputs: { x: { shape: [2, 9, 8] } }, forward: ({ x }) => tf.stridedSlice(x!, [0, 1, 0], [2, 9, 8], [1, 2, 3]) },
  { name: "transpose rank 5", inputs: { x: { shape: [2, 3, 4, 5, 2], grad: true } }, forward: ({ x }) => tf.transpose(x!, [0, 3, 1, 4, 2]), linearIn: "x" },
  { name: "transpose rank 6 (pixel shuffle)", inputs: { x: { shape: [2, 3, 4, 2, 2, 3], grad: true } }, forward: ({ x }) => tf.transpose(x!, [0, 1, 3, 2, 4, 5]), linearIn: "x" },
  { name: "tile", inputs: { x: { shape: [2, 3, 1], grad: true } }, forward: ({ x }) => tf.tile(x!, [2, 1, 4]), linearIn: "x" },
  {
    name: "where",
    inputs: { a: { shape: [4, 6], grad: true }, b: { shape: [4, 6], grad: true }, c: { shape: [4, 6] } },
    forward: ({ a, b, c }) => tf.where(tf.greater(c!, 0), tf.mul(a!, 2), tf.neg(b!)),
  },
  { name: "reductions: sum, mean, max", inputs: { x: { shape: [3, 4, 5], grad: true } }, forward: ({ x }) => tf.concat([tf.sum(x!, 1), tf.mean(x!, 1), tf.max(x!, 1)], 1) },
  { name: "clipByValue, maximum, minimum", inputs: { a: { shape: [5, 7], grad: true }, b: { shape: [5, 7], grad: true } }, forward: ({ a, b }) => tf.add(tf.clipByValue(a!, -0.5, 0.7), tf.sub(tf.maximum(a!, b!), tf.minimum(a!, b!))) },
  { name: "broadcast add, mul, div", inputs: { a: { shape: [2, 3, 4], grad: true }, b: { shape: [4], grad: true } }, forward: ({ a, b }) => tf.div(tf.mul(tf.add(a!, b!), b!), tf.add(tf.abs(b!), 1)) },
  { name: "split, stack, unstack", inputs: { x: { shape: [4, 6], grad: true } }, forward: ({ x }) => {
    const [p, q] = tf.split(x!, [2, 4], 1);
    return tf.stack([...tf.unstack(p!, 0), tf.sum(q!, 1, false).reshape([4]).slice([0], [2])], 0);
  } },
  { name: "dropout (seeded)", inputs: { x: { shape: [6, 10], grad: true } }, forward: ({ x }) => tf.dropout(x!, 0.1, undefined, 42) },
  { name: "oneHot + argMax (exact)", inputs: { x: { shape: [5, 4] } }, forward: ({ x }) => tf.oneHot(tf.argMax(x!, 1), 4) },
  {
    name: "cross-entropy over log-softmax with one-hot labels",
    inputs: { logits: { shape: [2, 4, 4, 3], grad: true, scale: 2 }, labels: { shape: [2, 4, 4], dtype: "int32", values: Array.from({ length: 32 }, (_, i) => (i * 5) % 3) } },
    forward: ({ logits, labels }) => tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits!), tf.oneHot(labels!, 3)), -1))),
  },
];
