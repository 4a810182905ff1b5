import * as tf from "@tensorflow/tfjs";
import type { DecoderConfig, EncoderConfig } from "../config.js";
import { instanceNorm } from "../ops/norm.js";
import { convTranspose2x2, resizeBilinear } from "../ops/spatial.js";
import { spec, type ParamGetter, type ParamSpec } from "../params.js";
import type { Decoder, DecoderContext } from "./decoder.js";
import { requireGrid } from "./options.js";

/** PyTorch's default ConvTranspose2d init: uniform ±1/sqrt(out·kh·kw). */
function convT(name: string, cin: number, cout: number): ParamSpec[] {
  const bound = 1 / Math.sqrt(cout * 4);
  return [spec(`${name}.weight`, [cin, cout, 2, 2], "conv-transpose-2d", { kind: "uniform", bound }), spec(`${name}.bias`, [cout], "plain", { kind: "uniform", bound })];
}

/**
 * TransSeg's ConvTrans head on the last block: ReLU(InstanceNorm(x)), then three
 * ConvTranspose2x2 (dim → dim) each + InstanceNorm (no affine, eps 1e-5) + ReLU, and a last
 * ConvTranspose2x2 to the classes: x16. For a patch other than 16 the result is resized
 * bilinearly to the input size.
 */
export const convtransDecoder = {
  id: "convtrans",
  description: "Transposed-convolution head (TransSeg's convtrans): 4 ConvTranspose2x2 stages with InstanceNorm + ReLU",
  options: [],
  normalize(config: DecoderConfig, encoder: EncoderConfig): DecoderConfig {
    requireGrid(encoder, "convtrans", [1, 1], "its first InstanceNorm would normalize a single value per channel, which PyTorch refuses", 2);
    return { ...config, kind: "convtrans" };
  },
  layers: (ctx: DecoderContext) => [ctx.encoder.depth - 1],
  params(ctx: DecoderContext): ParamSpec[] {
    const dim = ctx.encoder.dim;
    return [...convT("decoder1", dim, dim), ...convT("decoder2", dim, dim), ...convT("decoder3", dim, dim), ...convT("decoder4", dim, ctx.classes)];
  },
  forward(features: readonly tf.Tensor4D[], p: ParamGetter, ctx: DecoderContext): tf.Tensor4D {
    let x = tf.relu(instanceNorm(features[features.length - 1]!));
    for (let i = 1; i <= 3; i++) x = tf.relu(instanceNorm(convTranspose2x2(x, p(`decoder${i}.weight`), p(`decoder${i}.bias`))));
    return resizeBilinear(convTranspose2x2(x, p("decoder4.weight"), p("decoder4.bias")), ctx.encoder.img);
  },
} as const satisfies Decoder;
