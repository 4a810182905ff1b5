import * as tf from "@tensorflow/tfjs";

/** LayerNorm over the last axis (biased variance, as PyTorch). */
export function layerNorm(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, eps = 1e-6): tf.Tensor {
  const axis = x.shape.length - 1;
  const mean = tf.mean(x, axis, true);
  const xc = tf.sub(x, mean);
  const variance = tf.mean(tf.square(xc), axis, true);
  return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, eps))), weight), bias);
}

/** Exact (erf) GELU, as PyTorch's `nn.GELU()`. */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

export interface BatchNormParams {
  readonly weight: tf.Tensor;
  readonly bias: tf.Tensor;
  readonly runningMean: tf.Tensor;
  readonly runningVar: tf.Tensor;
}

/**
 * BatchNorm over the channel (last) axis of NHWC, eps 1e-5. Inference uses the running
 * statistics; training uses the batch statistics (biased variance), hands them to
 * `onStatistics` (with the count N·H·W per channel) and leaves the running statistics to the
 * caller.
 */
export function batchNorm(
  x: tf.Tensor4D,
  p: BatchNormParams,
  training: boolean,
  onStatistics?: (mean: tf.Tensor1D, variance: tf.Tensor1D, count: number) => void,
  eps = 1e-5,
): tf.Tensor4D {
  if (!training) return tf.batchNorm(x, p.runningMean as tf.Tensor1D, p.runningVar as tf.Tensor1D, p.bias as tf.Tensor1D, p.weight as tf.Tensor1D, eps);
  const { mean, variance } = tf.moments(x, [0, 1, 2]) as { mean: tf.Tensor1D; variance: tf.Tensor1D };
  onStatistics?.(mean, variance, x.shape[0] * x.shape[1] * x.shape[2]);
  return tf.batchNorm(x, mean, variance, p.bias as tf.Tensor1D, p.weight as tf.Tensor1D, eps);
}

/** InstanceNorm2d without affine parameters (PyTorch / MONAI default), NHWC, eps 1e-5. */
export function instanceNorm(x: tf.Tensor4D, eps = 1e-5): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [1, 2], true);
  return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))) as tf.Tensor4D;
}
