import * as tf from "@tensorflow/tfjs";
import { upernetOptions, upernetSpec } from "@transseg/model";
import { gelu } from "../ops/norm.js";
import { adaptiveAvgPool, conv2d, convTranspose2x2, resizeBilinear } from "../ops/spatial.js";
import type { ParamGetter } from "../params.js";
import { applyBatchNorm, convModule } from "./conv-module.js";
import type { Decoder, DecoderContext } from "./decoder.js";

/** TransSeg's UPerHead on TensorFlow.js: `upernetSpec` (options, tensors) plus the forward. */
export const upernetDecoder = {
  ...upernetSpec,
  forward(features: readonly tf.Tensor4D[], p: ParamGetter, ctx: DecoderContext, mode): tf.Tensor4D {
    const training = mode.training;
    const { poolScales, dropout } = upernetOptions(ctx);
    const [f0, f1, f2, f3] = features as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const up1 = gelu(applyBatchNorm(convTranspose2x2(f0, p("fpn1.0.weight"), p("fpn1.0.bias")), p, "fpn1.1", mode)) as tf.Tensor4D;
    const xs = [
      convTranspose2x2(up1, p("fpn1.3.weight"), p("fpn1.3.bias")),
      convTranspose2x2(f1, p("fpn2.0.weight"), p("fpn2.0.bias")),
      f2,
      tf.maxPool(f3, 2, 2, "valid"),
    ] as const;
    const lat = [0, 1, 2].map((i) => convModule(xs[i], p, `lateral_convs.${i}`, mode));
    const top = xs[3];
    const topSize = [top.shape[1], top.shape[2]] as const;
    const psp = [top, ...poolScales.map((s, i) => resizeBilinear(convModule(adaptiveAvgPool(top, s), p, `psp_modules.${i}.1`, mode), topSize))];
    lat.push(convModule(tf.concat(psp, 3), p, "bottleneck", mode));
    for (let i = 3; i > 0; i--) lat[i - 1] = tf.add(lat[i - 1]!, resizeBilinear(lat[i]!, [lat[i - 1]!.shape[1], lat[i - 1]!.shape[2]]));
    const outs = [0, 1, 2].map((i) => convModule(lat[i]!, p, `fpn_convs.${i}`, mode));
    outs.push(lat[3]!);
    const size = [outs[0]!.shape[1], outs[0]!.shape[2]] as const;
    let y = convModule(tf.concat(outs.map((o) => resizeBilinear(o, size)), 3), p, "fpn_bottleneck", mode);
    if (training && dropout > 0) y = tf.dropout(y, dropout, [y.shape[0], 1, 1, y.shape[3]], mode.seed) as tf.Tensor4D; // Dropout2d: whole channels
    // TransSeg resizes x4, which is the input size only for patch 16; resize to `img` instead.
    return resizeBilinear(conv2d(y, p("conv_seg.weight"), p("conv_seg.bias")), ctx.encoder.img);
  },
} as const satisfies Decoder;
