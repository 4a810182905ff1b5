import * as tf from "@tensorflow/tfjs";
import { effectivePatchDepth, encoderGrid, type EncoderConfig, type EncoderKind } from "@transseg/model";
import { linear, linearGelu } from "../ops/matmul.js";
import { layerNorm } from "../ops/norm.js";
import type { ParamGetter } from "../params.js";
import { attentionCore, attentionPath, fusedAttention, recordingGradients, relativeBias, splitHeads, type RelativeBias } from "./attention.js";
import { patchify } from "./patchify.js";

/** What the encoder forward needs besides the parameters. */
export interface EncoderRuntime {
  readonly config: EncoderConfig;
  readonly kind: EncoderKind;
  /** `[(T+1)^2]` int32 relative position index (BEiT kinds), built once per model. */
  readonly relativeIndex: tf.Tensor1D | null;
  /** Per-block relative bias computed from the table tensor `dataId` (inference only). */
  readonly biasCache: Map<number, { dataId: object; perHead: boolean | "fused"; bias: RelativeBias }>;
}

/**
 * Patch embedding of a window `[B, C, D, H, W]` (D = kd · Gd) as patch rows + matMul:
 * tokens `[B, Gd·Gh·Gw, dim]` in (d, h, w) order, identical to Conv3d(kernel = stride).
 */
export function patchEmbed(x: tf.Tensor5D, p: ParamGetter, e: EncoderConfig): tf.Tensor3D {
  const b = x.shape[0];
  const [gd, gh, gw] = encoderGrid(e);
  const patches = patchify(x, effectivePatchDepth(e), e.patch);
  const y = tf.add(tf.matMul(patches, p("patch_embed.proj.weight") as tf.Tensor2D), p("patch_embed.proj.bias"));
  return y.reshape([b, gd * gh * gw, e.dim]);
}

function attention(x: tf.Tensor3D, p: ParamGetter, pre: string, block: number, rt: EncoderRuntime): tf.Tensor3D {
  const { dim, heads } = rt.config;
  const [b, n] = x.shape;
  const hd = dim / heads;
  let bias: tf.Tensor;
  if (rt.kind.qkvBias === "full") bias = p(`${pre}qkv.bias`);
  else bias = tf.concat([p(`${pre}q_bias`), tf.zerosLike(p(`${pre}v_bias`)), p(`${pre}v_bias`)]);
  const qkv = linear(x, p(`${pre}qkv.weight`), bias) as tf.Tensor3D;
  const path = attentionPath(b * heads, n, hd);
  if (path === "fused") {
    const rel = rt.kind.relativePosition ? blockBias(p(`${pre}relative_position_bias_table`), block, n, "fused", rt) : null;
    const merged = fusedAttention(qkv, rel && "gathered" in rel ? rel.gathered : null, heads, hd ** -0.5);
    return linear(merged, p(`${pre}proj.weight`), p(`${pre}proj.bias`)) as tf.Tensor3D;
  }
  const [q0, k, v] = splitHeads(qkv, heads);
  const q = tf.mul(q0, hd ** -0.5) as tf.Tensor3D;
  const kT = tf.transpose(k, [0, 2, 1]) as tf.Tensor3D;
  const perHead = path === "perHead";
  const rel = rt.kind.relativePosition ? blockBias(p(`${pre}relative_position_bias_table`), block, n, perHead, rt) : null;
  const out = attentionCore(q, kT, v, rel, heads, perHead);
  const merged = tf.transpose(out.reshape([b, heads, n, hd]), [0, 2, 1, 3]).reshape([b, n, dim]);
  return linear(merged, p(`${pre}proj.weight`), p(`${pre}proj.bias`)) as tf.Tensor3D;
}

/**
 * The block's relative position bias. Outside gradient recording it is cached per block and
 * recomputed only when the table variable gets new values (a gather of heads·N² values costs
 * ~0.6 s per block on wasm at 512x512).
 */
function blockBias(table: tf.Tensor, block: number, n: number, perHead: boolean | "fused", rt: EncoderRuntime): RelativeBias {
  if (!rt.relativeIndex) throw new Error("relative position index missing");
  if (recordingGradients()) return relativeBias(table, rt.relativeIndex, n, perHead);
  const hit = rt.biasCache.get(block);
  if (hit && hit.dataId === table.dataId && hit.perHead === perHead) return hit.bias;
  if (hit) tf.dispose(biasTensors(hit.bias));
  const fresh = relativeBias(table, rt.relativeIndex, n, perHead);
  for (const t of biasTensors(fresh)) tf.keep(t);
  rt.biasCache.set(block, { dataId: table.dataId, perHead, bias: fresh });
  return fresh;
}

export function biasTensors(bias: RelativeBias): tf.Tensor[] {
  return "full" in bias ? [bias.full] : "gathered" in bias ? [bias.gathered] : [...bias.perHead];
}

function block(x: tf.Tensor3D, p: ParamGetter, i: number, rt: EncoderRuntime): tf.Tensor3D {
  const pre = `blocks.${i}.`;
  let a: tf.Tensor = attention(layerNorm(x, p(`${pre}norm1.weight`), p(`${pre}norm1.bias`)) as tf.Tensor3D, p, `${pre}attn.`, i, rt);
  if (rt.kind.layerScale) a = tf.mul(a, p(`${pre}gamma_1`));
  const y = tf.add(x, a);
  const h = linearGelu(layerNorm(y, p(`${pre}norm2.weight`), p(`${pre}norm2.bias`)), p(`${pre}mlp.fc1.weight`), p(`${pre}mlp.fc1.bias`));
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
    // One tidy per block: without it every block's attention maps (heads x N x N) stay alive
    // until the caller's tidy ends, which exhausts wasm memory at 512x512. Tensors a gradient
    // needs are kept by the tape, so this is safe in training too.
    const x = h;
    h = tf.tidy(() => block(x, p, i, rt));
    if (keep.includes(i)) kept.set(i, tf.slice(h, [0, 1, 0], [-1, -1, -1]));
  }
  return keep.map((i) => kept.get(i)!);
}
