import * as tf from "@tensorflow/tfjs";
import { ATTENTION, ATTENTION_NO_BIAS, backendHasKernel } from "../backend/kernels/fused/index.js";

/**
 * Relative position bias of one block: `[heads, N, N]` (batched backends) or one `[N, N]` per
 * head (wasm, where slicing a large tensor costs as much as computing it).
 */
export type RelativeBias = { readonly full: tf.Tensor3D } | { readonly perHead: readonly tf.Tensor2D[] } | { readonly gathered: tf.Tensor3D };

/** How attention runs: batched matMuls, per-head 2D matMuls, or the fused kernel. */
export type AttentionPath = "batched" | "perHead" | "fused";

/** True while a gradient tape records (tf.grad / variableGrads): caches must not be used then. */
export function recordingGradients(): boolean {
  return tf.engine().state.gradientDepth > 0;
}

/**
 * Least work per head, `N² · hd` (the size of one q kᵀ product), for which wasm runs attention
 * head by head. The batched matMul's slow loop costs in proportion to this work, the per-head
 * path ~20 more kernels per head. Measured on wasm (SIMD, 1 thread), forward + backward of
 * `attentionCore` with the registered wasm kernels, batched vs per head: B·h = 8, hd = 16:
 * N = 17 (4.6k) 1.2 vs 0.8 ms but a whole tiny training step 5% slower per head, N = 33 (17k)
 * 0.84 vs 0.92 ms, N = 49 (38k) 1.6 vs 1.2 ms; B·h = 12, hd = 64: N = 17 (18k) 1.18 vs 1.25 ms,
 * N = 33 (70k) 3.5 vs 1.8 ms, N = 65 (270k) 12.7 vs 3.5 ms; forward only, 12 heads of 1025
 * tokens (BEiT-base at 512²): 1215 vs 210 ms.
 */
export const PER_HEAD_MIN_WORK = 24576;

/**
 * Whether attention over `tokens` tokens with heads of `headDim` runs head by head as 2D
 * products: tfjs-backend-wasm runs a batch-1 matMul through XNNPACK but a batched one through a
 * slow loop — 12 heads of 1025x64x1025 take ~650 ms batched vs ~60 ms as 2D products. For small
 * products the per-head kernels' dispatch costs more than the slow loop (`PER_HEAD_MIN_WORK`).
 */
export function perHeadAttention(tokens: number, headDim: number): boolean {
  return tf.getBackend() === "wasm" && tokens * tokens * headDim >= PER_HEAD_MIN_WORK;
}

/**
 * Gathers the bias of `table` `[rows, heads]` at `index` `[N*N]`: one gather for all heads (its
 * gradient is one segment sum), split into heads when `perHead`.
 */
export function relativeBias(table: tf.Tensor, index: tf.Tensor1D, n: number, perHead: boolean | "fused"): RelativeBias {
  const heads = table.shape[1]!;
  if (perHead === "fused") return { gathered: tf.gather(table, index).reshape([n, n, heads]) as tf.Tensor3D };
  const full = tf.transpose(tf.gather(table, index), [1, 0]).reshape([heads, n, n]) as tf.Tensor3D;
  if (!perHead) return { full };
  return { perHead: tf.unstack(full) as tf.Tensor2D[] };
}

/**
 * Splits the fused qkv projection `[B, N, 3·h·hd]` (q, k, v blocks, each head-major) into `q`,
 * `k`, `v` `[B·h, N, hd]`. Uses a rank-4 transpose `[B, N, 3h, hd] → [B, 3h, N, hd]` and, for
 * B > 1, a rank-3 one `[B, 3, h·N·hd] → [3, B, h·N·hd]`: wasm's Transpose takes ~11 ms for the
 * equivalent rank-5 `[B, N, 3, h, hd] → [3, B, h, N, hd]` at B = 2, N = 65, h = 6, hd = 64 and
 * ~0.4 ms for these two. Pure data movement: values are exact.
 */
export function splitHeads(qkv: tf.Tensor3D, heads: number): [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D] {
  const [b, n, c] = qkv.shape;
  const hd = c / (3 * heads);
  if (!Number.isInteger(hd)) throw new Error(`splitHeads: ${c} channels are not 3 × ${heads} heads × an integer head size`);
  let t: tf.Tensor = tf.transpose(qkv.reshape([b, n, 3 * heads, hd]), [0, 2, 1, 3]);
  if (b > 1) t = tf.transpose(t.reshape([b, 3, heads * n * hd]), [1, 0, 2]);
  return tf.unstack(t.reshape([3, b * heads, n, hd])) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
}

/**
 * softmax(q kᵀ + bias) v for `q` `[B·h, N, hd]` (already scaled), `kT` `[B·h, hd, N]`,
 * `v` `[B·h, N, hd]` → `[B·h, N, hd]`. Batched, or head by head when `perHead` (default: when
 * the bias comes per head; see `perHeadAttention`), where on wasm a batch of 2D products is ~10x
 * faster than one batched matMul and the N x N maps are never sliced out of a larger tensor.
 */
export function attentionCore(q: tf.Tensor3D, kT: tf.Tensor3D, v: tf.Tensor3D, relBias: RelativeBias | null, heads: number, perHead = relBias !== null && "perHead" in relBias): tf.Tensor3D {
  const [bh, n] = q.shape;
  const bias = relBias !== null && "gathered" in relBias ? { full: tf.transpose(relBias.gathered, [2, 0, 1]) as tf.Tensor3D } : relBias;
  if (!perHead) {
    let s: tf.Tensor = tf.matMul(q, kT);
    if (bias) {
      const full = "full" in bias ? bias.full : tf.stack([...bias.perHead]);
      s = tf.add(s.reshape([bh / heads, heads, n, n]), full).reshape([bh, n, n]);
    }
    return tf.matMul(tf.softmax(s) as tf.Tensor3D, v);
  }
  const biases = bias === null ? null : "perHead" in bias ? bias.perHead : (tf.unstack(bias.full) as tf.Tensor2D[]);
  const qs = tf.unstack(q) as tf.Tensor2D[];
  const ks = tf.unstack(kT) as tf.Tensor2D[];
  const vs = tf.unstack(v) as tf.Tensor2D[];
  const outs = qs.map((qi, i) =>
    tf.tidy(() => {
      let s: tf.Tensor2D = tf.matMul(qi, ks[i]!);
      const b = biases?.[i % heads];
      if (b) s = tf.add(s, b);
      return tf.matMul(tf.softmax(s) as tf.Tensor2D, vs[i]!);
    }),
  );
  return tf.stack(outs) as tf.Tensor3D;
}

/**
 * Largest work per attention call, `B·h · N² · hd`, for which the fused kernel (compiled C,
 * wasm SIMD, one thread) runs on wasm; above it XNNPACK's matMuls (per head, multi-threaded)
 * win. Measured forward + backward on wasm, 1 thread, fused vs unfused: B·h 8, N 17, hd 16
 * (37k) 0.37 vs 1.61 ms; B·h 6, N 17, hd 64 (111k) 0.50 vs 1.45 ms; B·h 12, N 33, hd 64 (836k)
 * 2.2 vs 4.3 ms; B·h 12, N 65, hd 64 (3.2M) 8.2 vs 9.8 ms.
 */
export const FUSED_ATTENTION_MAX_WORK = 4_000_000;

/**
 * The attention path for `batchHeads` = B·h maps of `tokens` tokens with heads of `headDim`:
 * the fused kernel where the backend has it (cpu always; wasm up to `FUSED_ATTENTION_MAX_WORK`),
 * else per head or batched (`perHeadAttention`).
 */
export function attentionPath(batchHeads: number, tokens: number, headDim: number): AttentionPath {
  if (backendHasKernel(ATTENTION) && (tf.getBackend() !== "wasm" || batchHeads * tokens * tokens * headDim <= FUSED_ATTENTION_MAX_WORK)) return "fused";
  return perHeadAttention(tokens, headDim) ? "perHead" : "batched";
}

/**
 * Multi-head self-attention from the fused qkv projection `[B, N, 3·h·hd]` in one kernel (and
 * one for its backward): `softmax(scale · q kᵀ + bias) v` with the heads merged → `[B, N, h·hd]`.
 * `bias` is `[N, N, h]` (the relative position table gathered, `relativeBias(…, "fused")`) or
 * null. Needs the `TranssegAttention` kernels (see `attentionPath`).
 */
export function fusedAttention(qkv: tf.Tensor3D, bias: tf.Tensor3D | null, heads: number, scale: number): tf.Tensor3D {
  const attrs = { heads, scale };
  if (bias) return tf.engine().runKernel(ATTENTION, { qkv, bias }, attrs) as tf.Tensor3D;
  return tf.engine().runKernel(ATTENTION_NO_BIAS, { qkv }, attrs) as tf.Tensor3D;
}
