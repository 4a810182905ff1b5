import * as tf from "@tensorflow/tfjs";
import { batchNorm } from "../ops/norm.js";
import { conv2d } from "../ops/spatial.js";
import type { ParamGetter } from "../params.js";

export { batchNormParams, convModuleParams } from "@transseg/model";
import type { DecoderForwardOptions } from "./decoder.js";

/** BatchNorm2d `name`; in training mode its batch statistics go to `mode.onBatchStatistics`. */
export function applyBatchNorm(x: tf.Tensor4D, p: ParamGetter, name: string, mode: DecoderForwardOptions): tf.Tensor4D {
  const report = mode.onBatchStatistics;
  const params = { weight: p(`${name}.weight`), bias: p(`${name}.bias`), runningMean: p(`${name}.running_mean`), runningVar: p(`${name}.running_var`) };
  return batchNorm(x, params, mode.training, report && ((mean, variance, count) => report(name, mean, variance, count)));
}

/** mmcv ConvModule (Conv2d without bias → BatchNorm → ReLU); its tensors: `convModuleParams`. */
export function convModule(x: tf.Tensor4D, p: ParamGetter, name: string, mode: DecoderForwardOptions): tf.Tensor4D {
  return tf.tidy(() => tf.relu(applyBatchNorm(conv2d(x, p(`${name}.conv.weight`)), p, `${name}.bn`, mode)));
}
