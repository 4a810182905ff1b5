import * as tf from "@tensorflow/tfjs";
import { setrPupSpec } from "@transseg/model";
import { instanceNorm } from "../ops/norm.js";
import { conv2d, resizeBilinear } from "../ops/spatial.js";
import type { ParamGetter } from "../params.js";
import type { Decoder, DecoderContext } from "./decoder.js";

/** TransSeg's SETR progressive-upsampling head on TensorFlow.js: `setrPupSpec` (options, tensors) plus the forward. */
export const setrPupDecoder = {
  ...setrPupSpec,
  forward(features: readonly tf.Tensor4D[], p: ParamGetter, ctx: DecoderContext): tf.Tensor4D {
    let x = features[features.length - 1]!;
    for (let i = 0; i < 4; i++) {
      x = tf.relu(instanceNorm(conv2d(x, p(`decoder${i}.weight`), p(`decoder${i}.bias`))));
      if (i < 3) x = resizeBilinear(x, [x.shape[1] * 2, x.shape[2] * 2]);
    }
    return resizeBilinear(conv2d(x, p("decoder4.weight"), p("decoder4.bias")), ctx.encoder.img);
  },
} as const satisfies Decoder;
