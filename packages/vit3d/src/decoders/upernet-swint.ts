import * as tf from "@tensorflow/tfjs";
import { type ModelEncoderConfig, upernetSwintOptions, upernetSwintSpec } from "@transseg/model";
import { adaptiveAvgPool, conv2d, resizeBilinear } from "../ops/spatial.js";
import type { ParamGetter } from "../params.js";
import { convModule } from "./conv-module.js";
import type { Decoder, DecoderContext, DecoderForwardOptions } from "./decoder.js";

/**
 * TransSeg's `upernet-swint` on TensorFlow.js: `upernetSwintSpec` (options, tensors) plus the
 * forward on the four Swin stage maps `[B, Hs, Ws, Cs]` (NHWC, strides 4 … 32).
 */
export const upernetSwintDecoder = {
  ...upernetSwintSpec,
  forward(features: readonly tf.Tensor4D[], p: ParamGetter, ctx: DecoderContext<ModelEncoderConfig>, mode: DecoderForwardOptions): tf.Tensor4D {
    const { poolScales, dropout } = upernetSwintOptions(ctx);
    const top = features[3]!;
    const topSize = [top.shape[1], top.shape[2]] as const;
    const lat = [0, 1, 2].map((i) => convModule(features[i]!, p, `lateral_convs.${i}`, mode));
    const psp = [top, ...poolScales.map((s, i) => resizeBilinear(convModule(adaptiveAvgPool(top, s), p, `psp_modules.${i}.1`, mode), topSize))];
    lat.push(convModule(tf.concat(psp, 3), p, "bottleneck", mode));
    for (let i = 3; i > 0; i--) lat[i - 1] = tf.add(lat[i - 1]!, resizeBilinear(lat[i]!, [lat[i - 1]!.shape[1], lat[i - 1]!.shape[2]]));
    const outs = [0, 1, 2].map((i) => convModule(lat[i]!, p, `fpn_convs.${i}`, mode));
    outs.push(lat[3]!);
    const size = [outs[0]!.shape[1], outs[0]!.shape[2]] as const;
    let y = convModule(tf.concat(outs.map((o) => resizeBilinear(o, size)), 3), p, "fpn_bottleneck", mode);
    if (mode.training && dropout > 0) y = tf.dropout(y, dropout, [y.shape[0], 1, 1, y.shape[3]], mode.seed) as tf.Tensor4D; // Dropout2d: whole channels
    return resizeBilinear(conv2d(y, p("conv_seg.weight"), p("conv_seg.bias")), ctx.encoder.img);
  },
} as const satisfies Decoder;
