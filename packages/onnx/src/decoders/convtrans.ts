import { convtransSpec, type DecoderConfig, type EncoderConfig } from "@transseg/model";
import { convTransposeStrided } from "../conv.js";
import type { OnnxDecoder, OnnxDecoderContext } from "../decoder.js";
import { instanceNorm, resizeBilinear } from "../ops.js";
import { decoderTensorSpecs } from "./tensor-specs.js";

/**
 * TransSeg's ConvTrans head (the TensorFlow.js `convtrans`): Relu(InstanceNorm(x)), three
 * ConvTranspose 2×2 s2 (dim → dim) each + InstanceNormalization (no affine, eps 1e-5) + Relu, a
 * last ConvTranspose 2×2 s2 to the classes (×16), then a Resize to `img` when the patch is not 16.
 */
export const convtransOnnxDecoder = {
  id: "convtrans",
  description: "Transposed-convolution head (TransSeg's convtrans): 4 ConvTranspose2x2 stages with InstanceNorm + Relu",
  normalize: (config: DecoderConfig, encoder: EncoderConfig): DecoderConfig => convtransSpec.normalize(config, encoder),
  layers: (_config: DecoderConfig, encoder: EncoderConfig) => [encoder.depth - 1],
  tensors: (ctx: Omit<OnnxDecoderContext, "g" | "tensors">) => decoderTensorSpecs(convtransSpec, ctx),
  build(ctx: OnnxDecoderContext, features: readonly string[]): string {
    const { g, tensors, classes } = ctx;
    const dim = ctx.encoder.dim;
    let x = g.op("Relu", [instanceNorm(g, features[features.length - 1]!, dim, "convtrans0_norm")], {}, "convtrans0");
    for (let i = 1; i <= 3; i++) {
      const up = convTransposeStrided(g, tensors, x, `decoder.decoder${i}.weight`, [dim, dim, 2, 2], `decoder.decoder${i}.bias`, `convtrans${i}_up`);
      x = g.op("Relu", [instanceNorm(g, up, dim, `convtrans${i}_norm`)], {}, `convtrans${i}`);
    }
    const y = convTransposeStrided(g, tensors, x, "decoder.decoder4.weight", [dim, classes, 2, 2], "decoder.decoder4.bias", "convtrans_logits");
    const [gh, gw] = ctx.grid;
    const [H, W] = ctx.encoder.img;
    return 16 * gh === H && 16 * gw === W ? y : resizeBilinear(g, y, H, W, "logits_up");
  },
} as const satisfies OnnxDecoder;
