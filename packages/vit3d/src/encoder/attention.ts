import * as tf from "@tensorflow/tfjs";

/**
 * Relative position bias of one block: `[heads, N, N]` (batched backends) or one `[N, N]` per
 * head (wasm, where slicing a large tensor costs as much as computing it).
 */
export type RelativeBias = { readonly full: tf.Tensor3D } | { readonly perHead: readonly tf.Tensor2D[] };

/** True while a gradient tape records (tf.grad / variableGrads): caches must not be used then. */
export function recordingGradients(): boolean {
  return tf.engine().state.gradientDepth > 0;
}

/**
 * Whether attention runs head by head as 2D products: tfjs-backend-wasm runs a batch-1 matMul
 * through XNNPACK but a batched (or transposed-operand) one through a slow loop — 12 heads of
 * 1025x64x1025 take ~650 ms batched vs ~60 ms as 2D products.
 */
export function perHeadAttention(): boolean {
  return tf.getBackend() === "wasm";
}

/** Gathers the bias of `table` `[rows, heads]` at `index` `[N*N]`. */
export function relativeBias(table: tf.Tensor, index: tf.Tensor1D, n: number, perHead: boolean): RelativeBias {
  const heads = table.shape[1]!;
  if (!perHead) return { full: tf.transpose(tf.gather(table, index), [1, 0]).reshape([heads, n, n]) };
  const columns = tf.unstack(tf.transpose(table, [1, 0])) as tf.Tensor1D[];
  return { perHead: columns.map((c) => tf.gather(c, index).reshape([n, n])) };
}

/**
 * softmax(q kᵀ + bias) v for `q` `[B·h, N, hd]` (already scaled), `kT` `[B·h, hd, N]`,
 * `v` `[B·h, N, hd]` → `[B·h, N, hd]`. Batched on most backends; head by head on wasm, where
 * a batch of 2D products is ~10x faster than one batched matMul and the N x N maps are never
 * sliced out of a larger tensor.
 */
export function attentionCore(q: tf.Tensor3D, kT: tf.Tensor3D, v: tf.Tensor3D, bias: RelativeBias | null, heads: number): tf.Tensor3D {
  const [bh, n] = q.shape;
  if (bias === null || "full" in bias) {
    let s: tf.Tensor = tf.matMul(q, kT);
    if (bias) s = tf.add(s.reshape([bh / heads, heads, n, n]), bias.full).reshape([bh, n, n]);
    return tf.matMul(tf.softmax(s) as tf.Tensor3D, v);
  }
  const qs = tf.unstack(q) as tf.Tensor2D[];
  const ks = tf.unstack(kT) as tf.Tensor2D[];
  const vs = tf.unstack(v) as tf.Tensor2D[];
  const outs = qs.map((qi, i) =>
    tf.tidy(() => {
      let s: tf.Tensor2D = tf.matMul(qi, ks[i]!);
      const b = bias.perHead[i % heads];
      if (b) s = tf.add(s, b);
      return tf.matMul(tf.softmax(s) as tf.Tensor2D, vs[i]!);
    }),
  );
  return tf.stack(outs) as tf.Tensor3D;
}
