import { type DecoderConfig, type EncoderConfig, setrPupSpec } from "@transseg/model";
import { convNd } from "../conv.js";
import type { OnnxDecoder, OnnxDecoderContext } from "../decoder.js";
import { instanceNorm, resizeBilinear } from "../ops.js";
import { decoderTensorSpecs } from "./tensor-specs.js";

/**
 * TransSeg's SETR progressive-upsampling head (the TensorFlow.js `setr-pup`): four Conv 3×3 (with
 * bias) → InstanceNormalization (no affine, eps 1e-5) → Relu, a bilinear ×2 Resize (half-pixel)
 * after the first three, Conv 1×1 to the classes, Resize to `img` (×2 for patch 16; none for 8).
 */
export const setrPupOnnxDecoder = {
  id: "setr-pup",
  description: "SETR progressive upsampling head (TransSeg's setrpup): Conv3x3 + InstanceNorm + Relu, x2 Resize steps",
  normalize: (config: DecoderConfig, encoder: EncoderConfig): DecoderConfig => setrPupSpec.normalize(config, encoder),
  layers: (_config: DecoderConfig, encoder: EncoderConfig) => [encoder.depth - 1],
  tensors: (ctx: Omit<OnnxDecoderContext, "g" | "tensors">) => decoderTensorSpecs(setrPupSpec, ctx),
  build(ctx: OnnxDecoderContext, features: readonly string[]): string {
    const { g, tensors, classes } = ctx;
    const dim = ctx.encoder.dim;
    let [h, w] = ctx.grid;
    let x = features[features.length - 1]!;
    for (let i = 0; i < 4; i++) {
      const conv = convNd(g, tensors, x, `decoder.decoder${i}.weight`, [dim, dim, 3, 3], `decoder.decoder${i}.bias`, `setr${i}_conv`);
      x = g.op("Relu", [instanceNorm(g, conv, dim, `setr${i}_norm`)], {}, `setr${i}`);
      if (i < 3) x = resizeBilinear(g, x, (h *= 2), (w *= 2), `setr${i}_up`);
    }
    const y = convNd(g, tensors, x, "decoder.decoder4.weight", [classes, dim, 1, 1], "decoder.decoder4.bias", "setr_logits");
    const [H, W] = ctx.encoder.img;
    return h === H && w === W ? y : resizeBilinear(g, y, H, W, "logits_up");
  },
} as const satisfies OnnxDecoder;
