import * as tf from "@tensorflow/tfjs";
import { convtransSpec } from "@transseg/model";
import { instanceNorm } from "../ops/norm.js";
import { convTranspose2x2, resizeBilinear } from "../ops/spatial.js";
import type { ParamGetter } from "../params.js";
import type { Decoder, DecoderContext } from "./decoder.js";

/** TransSeg's ConvTrans head on TensorFlow.js: `convtransSpec` (options, tensors) plus the forward. */
export const convtransDecoder = {
  ...convtransSpec,
  forward(features: readonly tf.Tensor4D[], p: ParamGetter, ctx: DecoderContext): tf.Tensor4D {
    let x = tf.relu(instanceNorm(features[features.length - 1]!));
    for (let i = 1; i <= 3; i++) x = tf.relu(instanceNorm(convTranspose2x2(x, p(`decoder${i}.weight`), p(`decoder${i}.bias`))));
    return resizeBilinear(convTranspose2x2(x, p("decoder4.weight"), p("decoder4.bias")), ctx.encoder.img);
  },
} as const satisfies Decoder;
