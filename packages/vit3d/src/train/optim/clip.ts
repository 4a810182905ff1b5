import * as tf from "@tensorflow/tfjs";

/**
 * The factor `torch.nn.utils.clip_grad_norm_` scales every gradient by: `maxNorm / (norm + 1e-6)`
 * when that is below 1, else 1 (also for a NaN norm: the gradients are left as they are).
 */
export function clipCoefficient(norm: number, maxNorm: number): number {
  const coef = maxNorm / (norm + 1e-6);
  return coef < 1 ? coef : 1;
}

/**
 * `torch.nn.utils.clip_grad_norm_(grads, maxNorm)`: the global L2 norm of all gradients; when it
 * exceeds `maxNorm` every gradient is scaled by `maxNorm / (norm + 1e-6)`. Returns the new
 * gradients (the caller disposes the old ones) and the norm before clipping.
 */
export function clipByGlobalNorm(grads: readonly tf.Tensor[], maxNorm: number): { grads: tf.Tensor[]; norm: number } {
  const norm = tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))).dataSync()[0]!);
  const coef = clipCoefficient(norm, maxNorm);
  if (coef === 1) return { grads: grads.map((g) => tf.clone(g)), norm };
  return { grads: grads.map((g) => tf.mul(g, coef)), norm };
}

/** The global L2 norm of host gradients times `scale` (summed in float64). */
export function globalNormHost(grads: readonly Float32Array[], scale = 1): number {
  let sum = 0;
  for (const g of grads) {
    const n = g.length;
    for (let i = 0; i < n; i++) {
      const x = g[i]!;
      sum += x * x;
    }
  }
  return Math.sqrt(sum) * Math.abs(scale);
}
