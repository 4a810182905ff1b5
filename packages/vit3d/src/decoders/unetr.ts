import * as tf from "@tensorflow/tfjs";
import { encoderGrid, unetrSpec, unetrStages } from "@transseg/model";
import { conv3d, convTransposeInPlane2x, instanceNorm3d, pointwise3d } from "../ops/volumetric.js";
import type { ParamGetter } from "../params.js";
import type { Decoder, DecoderContext } from "./decoder.js";

export { defaultUnetrLayers } from "@transseg/model";

/**
 * A decoder that needs the depth tokens: `forward` receives each feature map with depth folded
 * into the rows, `[B, Gd·Gh, Gw, dim]` (tokens are (d, h, w)-ordered, so this is a plain
 * reshape), instead of the mean over depth that 2D heads get.
 */
export interface VolumetricDecoder extends Decoder {
  readonly volumetric: true;
}

const lrelu = (x: tf.Tensor5D) => tf.leakyRelu(x, 0.01) as tf.Tensor5D;

function resBlock(x: tf.Tensor5D, p: ParamGetter, name: string): tf.Tensor5D {
  const cout = p(`${name}.conv1.conv.weight`).shape[0]!;
  const y = instanceNorm3d(conv3d(lrelu(instanceNorm3d(conv3d(x, p(`${name}.conv1.conv.weight`)))), p(`${name}.conv2.conv.weight`)));
  const residual = x.shape[4] === cout ? x : instanceNorm3d(pointwise3d(x, p(`${name}.conv3.conv.weight`)));
  return lrelu(tf.add(y, residual));
}

/** UNETR on TensorFlow.js: `unetrSpec` (options, tensors, validation) plus the forward. */
export const unetrDecoder = {
  ...unetrSpec,
  forward(features: readonly tf.Tensor4D[], p: ParamGetter, ctx: DecoderContext): tf.Tensor4D {
    const [gd, gh, gw] = encoderGrid(ctx.encoder);
    const n = unetrStages(ctx.encoder);
    const volume = (x: tf.Tensor4D): tf.Tensor5D => {
      const [b, rows, cols, dim] = x.shape;
      if (rows !== gd * gh || cols !== gw) {
        throw new Error(`decoder "unetr" needs the depth tokens: features [B, Gd·Gh, Gw, dim] = [${b}, ${gd * gh}, ${gw}, ${dim}], got [${x.shape.join(", ")}] (a model that averages depth for 2D heads does not support volumetric decoders)`);
      }
      return x.reshape([b, gd, gh, gw, dim]);
    };
    const skips = new Map<number, tf.Tensor5D>();
    for (let k = 2; k <= n; k++) {
      let x = convTransposeInPlane2x(volume(features[k - 2]!), p(`encoder${k}.transp_conv_init.conv.weight`));
      for (let j = 0; j < n - k; j++) x = resBlock(convTransposeInPlane2x(x, p(`encoder${k}.blocks.${j}.0.conv.weight`)), p, `encoder${k}.blocks.${j}.1`);
      skips.set(k, x);
    }
    let y = volume(features[n - 1]!);
    for (let k = n + 1; k >= 2; k--) {
      y = convTransposeInPlane2x(y, p(`decoder${k}.transp_conv.conv.weight`));
      if (k > 2) y = tf.concat([y, skips.get(k - 1)!], 4);
      y = resBlock(y, p, `decoder${k}.conv_block`);
    }
    const [b, , h, w, f] = y.shape;
    const centre = tf.slice(y, [0, (gd - 1) / 2, 0, 0, 0], [b, 1, h, w, f]);
    return pointwise3d(centre, p("out.conv.conv.weight"), p("out.conv.conv.bias")).reshape([b, h, w, ctx.classes]) as tf.Tensor4D;
  },
} as const satisfies VolumetricDecoder;
