/** Convolutions with BatchNorm (running statistics, eps 1e-5) folded into their weights at export time. */
import type { GraphBuilder } from "./graph-builder.js";
import type { TensorSource } from "./tensors.js";

export const BN_EPS = 1e-5;

/** Per-channel `scale = γ / √(var + eps)` and `shift = β − mean · scale` of a BatchNorm (in float64). */
export function batchNormAffine(tensors: TensorSource, prefix: string, channels: number): { scale: Float64Array; shift: Float64Array } {
  const get = (n: string) => tensors.get({ name: `${prefix}.${n}`, shape: [channels] });
  const [gamma, beta, mean, variance] = [get("weight"), get("bias"), get("running_mean"), get("running_var")];
  const scale = new Float64Array(channels);
  const shift = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    scale[c] = gamma[c]! / Math.sqrt(variance[c]! + BN_EPS);
    shift[c] = beta[c]! - mean[c]! * scale[c]!;
  }
  return { scale, shift };
}

/**
 * ConvModule (Conv2d k×k without bias, padding k//2 → BatchNorm → ReLU) as one Conv with the
 * BatchNorm folded in (`W' = W · scale` per output channel, `b' = shift`), then Relu.
 */
export function convModule(g: GraphBuilder, tensors: TensorSource, x: string, prefix: string, cin: number, cout: number, k: number, hint: string): string {
  const w = tensors.get({ name: `${prefix}.conv.weight`, shape: [cout, cin, k, k] });
  const { scale, shift } = batchNormAffine(tensors, `${prefix}.bn`, cout);
  const per = cin * k * k;
  for (let o = 0; o < cout; o++) for (let j = 0; j < per; j++) w[o * per + j] = w[o * per + j]! * scale[o]!;
  const pad = Math.floor(k / 2);
  const y = g.op("Conv", [x, g.weight(`${prefix}.conv.weight_bn`, [cout, cin, k, k], w), g.weight(`${prefix}.conv.bias_bn`, [cout], Float32Array.from(shift))], { kernel_shape: [k, k], pads: [pad, pad, pad, pad] }, `${hint}_conv`);
  return g.op("Relu", [y], {}, hint);
}

/** Plain Conv2d k×k with bias (`conv_seg`). */
export function conv(g: GraphBuilder, tensors: TensorSource, x: string, prefix: string, cin: number, cout: number, k: number, hint: string): string {
  const w = tensors.get({ name: `${prefix}.weight`, shape: [cout, cin, k, k] });
  const b = tensors.get({ name: `${prefix}.bias`, shape: [cout] });
  const pad = Math.floor(k / 2);
  return g.op("Conv", [x, g.weight(`${prefix}.weight`, [cout, cin, k, k], w), g.weight(`${prefix}.bias`, [cout], b)], { kernel_shape: [k, k], pads: [pad, pad, pad, pad] }, hint);
}

/**
 * ConvTranspose2d 2×2 stride 2 (PyTorch weight `[in, out, 2, 2]`, the ONNX layout too), with an
 * optional BatchNorm after it folded in (`W'[:, o] = W[:, o] · scale[o]`, `b' = b · scale + shift`).
 */
export function convTranspose2x2(g: GraphBuilder, tensors: TensorSource, x: string, prefix: string, channels: number, hint: string, bnPrefix?: string): string {
  const w = tensors.get({ name: `${prefix}.weight`, shape: [channels, channels, 2, 2] });
  const b = tensors.get({ name: `${prefix}.bias`, shape: [channels] });
  if (bnPrefix) {
    const { scale, shift } = batchNormAffine(tensors, bnPrefix, channels);
    for (let i = 0; i < channels; i++) for (let o = 0; o < channels; o++) for (let j = 0; j < 4; j++) w[(i * channels + o) * 4 + j] = w[(i * channels + o) * 4 + j]! * scale[o]!;
    for (let o = 0; o < channels; o++) b[o] = b[o]! * scale[o]! + shift[o]!;
  }
  return g.op("ConvTranspose", [x, g.weight(`${prefix}.weight${bnPrefix ? "_bn" : ""}`, [channels, channels, 2, 2], w), g.weight(`${prefix}.bias${bnPrefix ? "_bn" : ""}`, [channels], b)], { kernel_shape: [2, 2], strides: [2, 2] }, hint);
}

/**
 * Conv (2D or 3D: the rank follows the weight) with stride 1 and zero padding k//2 on every axis;
 * `weight` is the checkpoint name of a PyTorch/ONNX `[out, in, ...kernel]` tensor, `bias` that of
 * a `[out]` tensor or undefined (a bias-free conv, as MONAI's blocks).
 */
export function convNd(g: GraphBuilder, tensors: TensorSource, x: string, weight: string, shape: readonly number[], bias: string | undefined, hint: string): string {
  const w = g.weight(weight, shape, tensors.get({ name: weight, shape }));
  const kernel = shape.slice(2);
  const pads = [...kernel.map((k) => Math.floor(k / 2)), ...kernel.map((k) => Math.floor(k / 2))];
  const inputs = bias === undefined ? [x, w] : [x, w, g.weight(bias, [shape[0]!], tensors.get({ name: bias, shape: [shape[0]!] }))];
  return g.op("Conv", inputs, { kernel_shape: kernel, pads }, hint);
}

/**
 * ConvTranspose with kernel = stride (no overlap: ×kernel per axis, 2D or 3D); `weight` names a
 * PyTorch/ONNX `[in, out, ...kernel]` tensor, `bias` a `[out]` tensor or undefined.
 */
export function convTransposeStrided(g: GraphBuilder, tensors: TensorSource, x: string, weight: string, shape: readonly number[], bias: string | undefined, hint: string): string {
  const w = g.weight(weight, shape, tensors.get({ name: weight, shape }));
  const kernel = shape.slice(2);
  const inputs = bias === undefined ? [x, w] : [x, w, g.weight(bias, [shape[1]!], tensors.get({ name: bias, shape: [shape[1]!] }))];
  return g.op("ConvTranspose", inputs, { kernel_shape: kernel, strides: kernel }, hint);
}
