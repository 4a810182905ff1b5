import * as tf from "@tensorflow/tfjs";

/**
 * `torch.nn.utils.clip_grad_norm_(grads, maxNorm)`: the global L2 norm of all gradients; when it
 * exceeds `maxNorm` every gradient is scaled by `maxNorm / (norm + 1e-6)`. Returns the new
 * gradients (the caller disposes the old ones) and the norm before clipping.
 */
export function clipByGlobalNorm(grads: readonly tf.Tensor[], maxNorm: number): { grads: tf.Tensor[]; norm: number } {
  const norm = tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))).dataSync()[0]!);
  const coef = maxNorm / (norm + 1e-6);
  if (!(coef < 1)) return { grads: grads.map((g) => tf.clone(g)), norm };
  return { grads: grads.map((g) => tf.mul(g, coef)), norm };
}
