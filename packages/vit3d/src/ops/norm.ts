import * as tf from "@tensorflow/tfjs";
import { backendHasKernel, BATCH_NORM_RELU, BIAS_GELU, LAYER_NORM } from "../backend/kernels/fused/index.js";

/**
 * LayerNorm over the last axis (biased variance, as PyTorch): one fused kernel (forward and
 * backward) where the active backend has it (wasm, cpu after `initBackend`), else
 * `layerNormComposed`.
 */
export function layerNorm(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, eps = 1e-6): tf.Tensor {
  if (x.dtype === "float32" && backendHasKernel(LAYER_NORM)) return tf.engine().runKernel(LAYER_NORM, { x, gamma: weight, beta: bias }, { epsilon: eps }) as tf.Tensor;
  return layerNormComposed(x, weight, bias, eps);
}

/** LayerNorm from TensorFlow.js ops (the fused kernel's reference and fallback). */
export function layerNormComposed(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, eps = 1e-6): tf.Tensor {
  const axis = x.shape.length - 1;
  const mean = tf.mean(x, axis, true);
  const xc = tf.sub(x, mean);
  const variance = tf.mean(tf.square(xc), axis, true);
  return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, eps))), weight), bias);
}

/**
 * `gelu(x + bias)` over the last axis (exact erf GELU): one fused kernel (forward and backward)
 * where the active backend has it, else `gelu(tf.add(x, bias))`.
 */
export function biasGelu(x: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  if (x.dtype === "float32" && backendHasKernel(BIAS_GELU)) return tf.engine().runKernel(BIAS_GELU, { x, bias }) as tf.Tensor;
  return gelu(tf.add(x, bias));
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

/** Receives a training forward's batch mean and biased variance per channel, and the count N·H·W. */
export type OnBatchStatistics = (mean: tf.Tensor1D, variance: tf.Tensor1D, count: number) => void;

/**
 * BatchNorm over the channel (last) axis of NHWC, eps 1e-5. Inference uses the running
 * statistics; training uses the batch statistics (biased variance), hands them to
 * `onStatistics` (with the count N·H·W per channel) and leaves the running statistics to the
 * caller. The training gradient is `batchNormTrainingGrad`'s closed form.
 */
export function batchNorm(
  x: tf.Tensor4D,
  p: BatchNormParams,
  training: boolean,
  onStatistics?: OnBatchStatistics,
  eps = 1e-5,
): tf.Tensor4D {
  if (!training) return tf.batchNorm(x, p.runningMean as tf.Tensor1D, p.runningVar as tf.Tensor1D, p.bias as tf.Tensor1D, p.weight as tf.Tensor1D, eps);
  const count = x.shape[0] * x.shape[1] * x.shape[2];
  const normalize = tf.customGrad((input, weight, bias, save) => {
    const [xv, w, b] = [input, weight, bias] as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
    const mean = tf.mean(xv, [0, 1, 2]) as tf.Tensor1D;
    const centred = tf.sub(xv, mean) as tf.Tensor4D;
    const variance = tf.mean(tf.square(centred), [0, 1, 2]) as tf.Tensor1D;
    onStatistics?.(mean, variance, count);
    const rstd = tf.rsqrt(tf.add(variance, eps)) as tf.Tensor1D;
    (save as tf.GradSaveFunc)([centred, rstd, w]);
    return {
      value: tf.batchNorm(xv, mean, variance, b, w, eps),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => batchNormTrainingGrad(dy, saved[0] as tf.Tensor4D, saved[1] as tf.Tensor1D, saved[2] as tf.Tensor1D),
    };
  });
  return normalize(x, p.weight, p.bias) as tf.Tensor4D;
}

/**
 * `relu(batchNorm(x, p, training, onStatistics, eps))` with the same statistics, reports and
 * gradients: one fused kernel (forward and backward) where the active backend has it (wasm, cpu
 * after `initBackend`), else that composition. In training the batch mean and biased variance go
 * to `onStatistics` with the count N·H·W, once; in eval the running statistics are used.
 */
export function batchNormRelu(
  x: tf.Tensor4D,
  p: BatchNormParams,
  training: boolean,
  onStatistics?: OnBatchStatistics,
  eps = 1e-5,
): tf.Tensor4D {
  if (x.dtype !== "float32" || !backendHasKernel(BATCH_NORM_RELU)) return tf.tidy(() => tf.relu(batchNorm(x, p, training, onStatistics, eps)));
  const inputs = { x, gamma: p.weight, beta: p.bias, mean: p.runningMean, variance: p.runningVar };
  const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_RELU, inputs, { epsilon: eps, training }) as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
  try {
    if (training) onStatistics?.(mean, variance, x.shape[0] * x.shape[1] * x.shape[2]);
  } finally {
    tf.dispose([mean, variance]);
  }
  return y;
}

/**
 * Gradients of training-mode BatchNorm `y = w·x̂ + b`, `x̂ = (x − μ)·r`, `r = 1/√(σ² + eps)` with the
 * batch statistics μ, σ² over the M = N·H·W positions of each channel, from `centred = x − μ`:
 * `db = Σ dy`, `dw = r·Σ dy·(x − μ)`, `dx = w·r·(dy − db/M − (x − μ)·r·dw/M)` — reductions and
 * per-channel broadcasts only (TensorFlow.js's own BatchNorm gradient tiles per-channel vectors to
 * the full size, slow on wasm). Returns `[dx, dw, db]`.
 */
function batchNormTrainingGrad(dy: tf.Tensor4D, centred: tf.Tensor4D, rstd: tf.Tensor1D, weight: tf.Tensor1D): [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D] {
  return tf.tidy(() => {
    const m = centred.shape[0] * centred.shape[1] * centred.shape[2];
    const db = tf.sum(dy, [0, 1, 2]) as tf.Tensor1D;
    const dw = tf.mul(tf.sum(tf.mul(dy, centred), [0, 1, 2]), rstd) as tf.Tensor1D;
    const gain = tf.mul(weight, rstd);
    const dx = tf.mul(tf.sub(tf.sub(dy, tf.div(db, m)), tf.mul(centred, tf.mul(rstd, tf.div(dw, m)))), gain) as tf.Tensor4D;
    return [dx, dw, db];
  });
}

/** InstanceNorm2d without affine parameters (PyTorch / MONAI default), NHWC, eps 1e-5. */
export function instanceNorm(x: tf.Tensor4D, eps = 1e-5): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [1, 2], true);
  return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))) as tf.Tensor4D;
}
