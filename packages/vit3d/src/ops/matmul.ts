import * as tf from "@tensorflow/tfjs";

/**
 * Batched matMul `[n, a, b] x [n, b, c]`. The wasm backend runs a batch of one as a fast
 * XNNPACK fully-connected product but falls back to a slow loop for a batch > 1 (and for a
 * transposed operand): measured 12 heads of 1025x64x1025 take ~650 ms batched vs ~60 ms as
 * 2D products. So on wasm the batch is unrolled into 2D matMuls; elsewhere one batched matMul.
 */
export function batchMatMul(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  if (tf.getBackend() !== "wasm" || a.shape[0] === 1) return tf.matMul(a, b);
  const as = tf.unstack(a) as tf.Tensor2D[];
  const bs = tf.unstack(b) as tf.Tensor2D[];
  return tf.stack(as.map((x, i) => tf.matMul(x, bs[i]!))) as tf.Tensor3D;
}

/** `x @ W + b` over the last axis; `w` is `[in, out]` (TensorFlow.js layout). */
export function linear(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const inDim = x.shape[x.shape.length - 1]!;
  const lead = x.shape.slice(0, -1);
  const y = tf.matMul(x.reshape([-1, inDim]) as tf.Tensor2D, w as tf.Tensor2D);
  return (b ? tf.add(y, b) : y).reshape([...lead, w.shape[1]!]);
}
