import * as tf from "@tensorflow/tfjs";
import { batchNorm, batchNormRelu, type BatchNormParams, type OnBatchStatistics } from "../ops/norm.js";
import { conv2d } from "../ops/spatial.js";
import type { ParamGetter } from "../params.js";

export { batchNormParams, convModuleParams } from "@transseg/model";
import type { DecoderForwardOptions } from "./decoder.js";

/** The parameters of BatchNorm2d `name` and the report of its batch statistics (layer `name`) to `mode.onBatchStatistics`. */
function batchNormInputs(p: ParamGetter, name: string, mode: DecoderForwardOptions): { params: BatchNormParams; report: OnBatchStatistics | undefined } {
  const report = mode.onBatchStatistics;
  const params = { weight: p(`${name}.weight`), bias: p(`${name}.bias`), runningMean: p(`${name}.running_mean`), runningVar: p(`${name}.running_var`) };
  return { params, report: report && ((mean, variance, count) => report(name, mean, variance, count)) };
}

/** BatchNorm2d `name`; in training mode its batch statistics go to `mode.onBatchStatistics`. */
export function applyBatchNorm(x: tf.Tensor4D, p: ParamGetter, name: string, mode: DecoderForwardOptions): tf.Tensor4D {
  const { params, report } = batchNormInputs(p, name, mode);
  return batchNorm(x, params, mode.training, report);
}

/**
 * mmcv ConvModule (Conv2d without bias → BatchNorm → ReLU); its tensors: `convModuleParams`.
 * BatchNorm + ReLU is one fused kernel where the backend has it (`batchNormRelu`).
 */
export function convModule(x: tf.Tensor4D, p: ParamGetter, name: string, mode: DecoderForwardOptions): tf.Tensor4D {
  const { params, report } = batchNormInputs(p, `${name}.bn`, mode);
  return tf.tidy(() => batchNormRelu(conv2d(x, p(`${name}.conv.weight`)), params, mode.training, report));
}
