import * as tf from "@tensorflow/tfjs";
import { batchNorm } from "../ops/norm.js";
import { conv2d } from "../ops/spatial.js";
import { spec, type ParamGetter, type ParamSpec } from "../params.js";
import type { DecoderForwardOptions } from "./decoder.js";

/** BatchNorm2d tensors: weight, bias (trainable), running_mean / running_var (buffers). */
export function batchNormParams(name: string, channels: number): ParamSpec[] {
  return [
    spec(`${name}.weight`, [channels], "plain", { kind: "ones" }),
    spec(`${name}.bias`, [channels], "plain", { kind: "zeros" }),
    spec(`${name}.running_mean`, [channels], "plain", { kind: "zeros" }, false),
    spec(`${name}.running_var`, [channels], "plain", { kind: "ones" }, false),
  ];
}

/** BatchNorm2d `name`; in training mode its batch statistics go to `mode.onBatchStatistics`. */
export function applyBatchNorm(x: tf.Tensor4D, p: ParamGetter, name: string, mode: DecoderForwardOptions): tf.Tensor4D {
  const report = mode.onBatchStatistics;
  const params = { weight: p(`${name}.weight`), bias: p(`${name}.bias`), runningMean: p(`${name}.running_mean`), runningVar: p(`${name}.running_var`) };
  return batchNorm(x, params, mode.training, report && ((mean, variance, count) => report(name, mean, variance, count)));
}

/**
 * mmcv ConvModule as TransSeg uses it: Conv2d (no bias, padding k//2) → BatchNorm → ReLU.
 * Fresh conv weights: Kaiming normal, fan_out, ReLU gain (mmcv's `kaiming_init`).
 */
export function convModuleParams(name: string, cin: number, cout: number, k: number): ParamSpec[] {
  return [spec(`${name}.conv.weight`, [cout, cin, k, k], "conv2d", { kind: "normal", std: Math.sqrt(2 / (cout * k * k)) }), ...batchNormParams(`${name}.bn`, cout)];
}

export function convModule(x: tf.Tensor4D, p: ParamGetter, name: string, mode: DecoderForwardOptions): tf.Tensor4D {
  return tf.tidy(() => tf.relu(applyBatchNorm(conv2d(x, p(`${name}.conv.weight`)), p, `${name}.bn`, mode)));
}
