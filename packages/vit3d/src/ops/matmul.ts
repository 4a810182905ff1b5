import * as tf from "@tensorflow/tfjs";
import { biasGelu } from "./norm.js";

/** `x @ W + b` over the last axis; `w` is `[in, out]` (TensorFlow.js layout). */
export function linear(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const inDim = x.shape[x.shape.length - 1]!;
  const lead = x.shape.slice(0, -1);
  const y = tf.matMul(x.reshape([-1, inDim]) as tf.Tensor2D, w as tf.Tensor2D);
  return (b ? tf.add(y, b) : y).reshape([...lead, w.shape[1]!]);
}

/** `gelu(x @ W + b)` over the last axis, the bias and GELU as one fused kernel where available. */
export function linearGelu(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const inDim = x.shape[x.shape.length - 1]!;
  const lead = x.shape.slice(0, -1);
  return biasGelu(tf.matMul(x.reshape([-1, inDim]) as tf.Tensor2D, w as tf.Tensor2D), b).reshape([...lead, w.shape[1]!]);
}
