import * as tf from "@tensorflow/tfjs";
import { effectivePatchDepth, encoderGrid, type EncoderConfig } from "../config.js";
import { batchMatMul, linear } from "../ops/matmul.js";
import { gelu, layerNorm } from "../ops/norm.js";
import type { ParamGetter } from "../params.js";
import type { EncoderKind } from "./encoder-kind.js";

/** What the encoder forward needs besides the parameters. */
export interface EncoderRuntime {
  readonly config: EncoderConfig;
  readonly kind: EncoderKind;
  /** `[(T+1)^2]` int32 relative position index (BEiT kinds), built once per model. */
  readonly relativeIndex: tf.Tensor1D | null;
}

/**
 * Patch embedding of a window `[B, C, D, H, W]` (D = kd · Gd) as reshape + transpose + matMul:
 * tokens `[B, Gd·Gh·Gw, dim]` in (d, h, w) order, identical to Conv3d(kernel = stride).
 */
export function patchEmbed(x: tf.Tensor5D, p: ParamGetter, e: EncoderConfig): tf.Tensor3D {
  const [b, c] = x.shape;
  const kd = effectivePatchDepth(e);
  const [gd, gh, gw] = encoderGrid(e);
  const pp = e.patch;
  const patches = tf.transpose(x.reshape([b, c, gd, kd, gh, pp, gw, pp]), [0, 2, 4, 6, 1, 3, 5, 7]).reshape([b * gd * gh * gw, c * kd * pp * pp]);
  const y = tf.add(tf.matMul(patches as tf.Tensor2D, p("patch_embed.proj.weight") as tf.Tensor2D), p("patch_embed.proj.bias"));
  return y.reshape([b, gd * gh * gw, e.dim]);
}

function attention(x: tf.Tensor3D, p: ParamGetter, pre: string, rt: EncoderRuntime): tf.Tensor3D {
  const { dim, heads } = rt.config;
  const [b, n] = x.shape;
  const hd = dim / heads;
  let bias: tf.Tensor;
  if (rt.kind.qkvBias === "full") bias = p(`${pre}qkv.bias`);
  else bias = tf.concat([p(`${pre}q_bias`), tf.zerosLike(p(`${pre}v_bias`)), p(`${pre}v_bias`)]);
  const qkv = linear(x, p(`${pre}qkv.weight`), bias).reshape([b, n, 3, heads, hd]);
  const [q5, k5, v5] = tf.split(qkv, 3, 2) as [tf.Tensor5D, tf.Tensor5D, tf.Tensor5D];
  const q = tf.transpose(tf.mul(q5.reshape([b, n, heads, hd]), hd ** -0.5), [0, 2, 1, 3]).reshape([b * heads, n, hd]) as tf.Tensor3D;
  const kT = tf.transpose(k5.reshape([b, n, heads, hd]), [0, 2, 3, 1]).reshape([b * heads, hd, n]) as tf.Tensor3D;
  const v = tf.transpose(v5.reshape([b, n, heads, hd]), [0, 2, 1, 3]).reshape([b * heads, n, hd]) as tf.Tensor3D;
  let scores: tf.Tensor = batchMatMul(q, kT);
  if (rt.kind.relativePosition) {
    if (!rt.relativeIndex) throw new Error("relative position index missing");
    const table = p(`${pre}relative_position_bias_table`);
    const rel = tf.transpose(tf.gather(table, rt.relativeIndex), [1, 0]).reshape([1, heads, n, n]);
    scores = tf.add(scores.reshape([b, heads, n, n]), rel).reshape([b * heads, n, n]);
  }
  const out = batchMatMul(tf.softmax(scores) as tf.Tensor3D, v);
  const merged = tf.transpose(out.reshape([b, heads, n, hd]), [0, 2, 1, 3]).reshape([b, n, dim]);
  return linear(merged, p(`${pre}proj.weight`), p(`${pre}proj.bias`)) as tf.Tensor3D;
}

function block(x: tf.Tensor3D, p: ParamGetter, i: number, rt: EncoderRuntime): tf.Tensor3D {
  const pre = `blocks.${i}.`;
  let a: tf.Tensor = attention(layerNorm(x, p(`${pre}norm1.weight`), p(`${pre}norm1.bias`)) as tf.Tensor3D, p, `${pre}attn.`, rt);
  if (rt.kind.layerScale) a = tf.mul(a, p(`${pre}gamma_1`));
  const y = tf.add(x, a);
  const h = gelu(linear(layerNorm(y, p(`${pre}norm2.weight`), p(`${pre}norm2.bias`)), p(`${pre}mlp.fc1.weight`), p(`${pre}mlp.fc1.bias`)));
  let m = linear(h, p(`${pre}mlp.fc2.weight`), p(`${pre}mlp.fc2.bias`));
  if (rt.kind.layerScale) m = tf.mul(m, p(`${pre}gamma_2`));
  return tf.add(y, m) as tf.Tensor3D;
}

/**
 * Encoder forward on a window `[B, C, D, H, W]` (the centre slice is taken here for `force_2d`).
 * Returns the token features `[B, T, dim]` (cls removed) of the blocks listed in `keep`, in
 * that order. Not wrapped in a tidy: call it inside one.
 */
export function encoderForward(x: tf.Tensor5D, p: ParamGetter, rt: EncoderRuntime, keep: readonly number[]): tf.Tensor3D[] {
  const e = rt.config;
  let input = x;
  if (e.force_2d && x.shape[2] !== 1) input = tf.slice(x, [0, 0, Math.floor(x.shape[2] / 2), 0, 0], [-1, -1, 1, -1, -1]);
  const tokens = patchEmbed(input, p, e);
  const b = tokens.shape[0];
  let h = tf.concat([tf.tile(p("cls_token"), [b, 1, 1]), tokens], 1) as tf.Tensor3D;
  if (rt.kind.absolutePosition) h = tf.add(h, p("pos_embed")) as tf.Tensor3D;
  const last = Math.max(-1, ...keep);
  const kept = new Map<number, tf.Tensor3D>();
  for (let i = 0; i <= last; i++) {
    h = block(h, p, i, rt);
    if (keep.includes(i)) kept.set(i, tf.slice(h, [0, 1, 0], [-1, -1, -1]));
  }
  return keep.map((i) => kept.get(i)!);
}
