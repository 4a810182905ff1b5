import { spec, type ParamSpec } from "../param-spec.js";

/** BatchNorm2d tensors: weight, bias (trainable), running_mean / running_var (buffers). */
export function batchNormParams(name: string, channels: number): ParamSpec[] {
  return [
    spec(`${name}.weight`, [channels], "plain", { kind: "ones" }),
    spec(`${name}.bias`, [channels], "plain", { kind: "zeros" }),
    spec(`${name}.running_mean`, [channels], "plain", { kind: "zeros" }, false),
    spec(`${name}.running_var`, [channels], "plain", { kind: "ones" }, false),
  ];
}

/**
 * mmcv ConvModule as TransSeg uses it: Conv2d (no bias, padding k//2) → BatchNorm → ReLU.
 * Fresh conv weights: Kaiming normal, fan_out, ReLU gain (mmcv's `kaiming_init`).
 */
export function convModuleParams(name: string, cin: number, cout: number, k: number): ParamSpec[] {
  return [spec(`${name}.conv.weight`, [cout, cin, k, k], "conv2d", { kind: "normal", std: Math.sqrt(2 / (cout * k * k)) }), ...batchNormParams(`${name}.bn`, cout)];
}
