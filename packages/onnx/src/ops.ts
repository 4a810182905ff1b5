/**
 * Graph fragments shared by the encoder and the decoders, written in the shapes ONNX Runtime's
 * graph optimizer recognises (MatMul+Add, the erf GELU pattern, LayerNormalization, Conv+Relu).
 */
import { floatAttr, type GraphBuilder } from "./graph-builder.js";

/** `[rows, cols]` → `[cols, rows]`. */
export function transpose2d(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c]!;
  return out;
}

/** PyTorch Linear `y = x W^T + b` with `W [out, in]`: MatMul on the transposed weight, then Add. */
export function linear(g: GraphBuilder, x: string, weight: Float32Array, bias: Float32Array, out: number, hint: string): string {
  const inF = weight.length / out;
  const w = g.weight(`${hint}.weight_t`, [inF, out], transpose2d(weight, out, inF));
  const b = g.weight(`${hint}.bias`, [out], bias);
  return g.op("Add", [g.op("MatMul", [x, w], {}, `${hint}_mm`), b], {}, hint);
}

/** LayerNorm over the last axis: the opset-17 op, or its decomposition (which ORT fuses back) below 17. */
export function layerNorm(g: GraphBuilder, x: string, weight: Float32Array, bias: Float32Array, eps: number, hint: string): string {
  const w = g.weight(`${hint}.weight`, [weight.length], weight);
  const b = g.weight(`${hint}.bias`, [bias.length], bias);
  if (g.opset >= 17) return g.op("LayerNormalization", [x, w, b], { axis: -1, epsilon: floatAttr(eps) }, hint);
  const mean = g.op("ReduceMean", [x], { axes: [-1], keepdims: 1 }, `${hint}_mean`);
  const d = g.op("Sub", [x, mean], {}, `${hint}_centred`);
  const v = g.op("ReduceMean", [g.op("Pow", [d, g.scalar(2)], {}, `${hint}_sq`)], { axes: [-1], keepdims: 1 }, `${hint}_var`);
  const std = g.op("Sqrt", [g.op("Add", [v, g.scalar(eps)], {}, `${hint}_var_eps`)], {}, `${hint}_std`);
  const n = g.op("Div", [d, std], {}, `${hint}_normed`);
  return g.op("Add", [g.op("Mul", [n, w], {}, `${hint}_scaled`), b], {}, hint);
}

/** Exact GELU, `x · ½ (1 + erf(x / √2))` (the pattern ORT fuses into one Gelu kernel). */
export function gelu(g: GraphBuilder, x: string, hint: string): string {
  const e = g.op("Erf", [g.op("Div", [x, g.scalar(Math.SQRT2)], {}, `${hint}_div`)], {}, `${hint}_erf`);
  const m = g.op("Mul", [x, g.op("Add", [e, g.scalar(1)], {}, `${hint}_add`)], {}, `${hint}_mul`);
  return g.op("Mul", [m, g.scalar(0.5)], {}, hint);
}

/** `[B, C, H, W]` → Resize to `[B, C, h, w]`, bilinear with half-pixel centres (PyTorch `align_corners=False`). */
export function resizeBilinear(g: GraphBuilder, x: string, h: number, w: number, hint: string): string {
  const bc = g.op("Slice", [g.op("Shape", [x], {}, `${hint}_shape`), g.ints([0]), g.ints([2])], {}, `${hint}_bc`);
  const sizes = g.op("Concat", [bc, g.ints([h, w])], { axis: 0 }, `${hint}_sizes`);
  return g.op("Resize", [x, "", "", sizes], { mode: "linear", coordinate_transformation_mode: "half_pixel" }, hint);
}

/** `[B, …]` → the int64 shape `[B, ...rest]` for Expand/Reshape targets that carry the dynamic batch. */
export function batchShape(g: GraphBuilder, like: string, rest: readonly number[], hint: string): string {
  const b = g.op("Slice", [g.op("Shape", [like], {}, `${hint}_shape`), g.ints([0]), g.ints([1])], {}, `${hint}_b`);
  return g.op("Concat", [b, g.ints(rest)], { axis: 0 }, hint);
}

/** Reshape keeping the leading (batch) axis: target `[-1, ...rest]`. */
export function reshapeBatch(g: GraphBuilder, x: string, rest: readonly number[], hint: string): string {
  return g.op("Reshape", [x, g.ints([-1, ...rest])], {}, hint);
}

/** InstanceNorm without affine parameters (PyTorch's `InstanceNorm2d/3d` defaults, MONAI's "instance"): biased variance, eps 1e-5. */
export function instanceNorm(g: GraphBuilder, x: string, channels: number, hint: string, eps = 1e-5): string {
  const scale = g.weight(`${hint}.ones`, [channels], new Float32Array(channels).fill(1));
  const shift = g.weight(`${hint}.zeros`, [channels], new Float32Array(channels));
  return g.op("InstanceNormalization", [x, scale, shift], { epsilon: floatAttr(eps) }, hint);
}
