import { flatEncoder, type DecoderConfig, type EncoderConfig } from "../config.js";
import { spec, type ParamSpec } from "../param-spec.js";
import { requireGrid } from "./options.js";
import type { DecoderContext, DecoderSpec } from "./spec.js";

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
export const convtransSpec = {
  id: "convtrans",
  description: "Transposed-convolution head (TransSeg's convtrans): 4 ConvTranspose2x2 stages with InstanceNorm + ReLU",
  options: [],
  normalize(config: DecoderConfig, encoder: EncoderConfig): DecoderConfig {
    flatEncoder(encoder, 'decoder "convtrans"');
    requireGrid(encoder, "convtrans", [1, 1], "its first InstanceNorm would normalize a single value per channel, which PyTorch refuses", 2);
    return { ...config, kind: "convtrans" };
  },
  layers: (ctx: DecoderContext) => [ctx.encoder.depth - 1],
  params(ctx: DecoderContext): ParamSpec[] {
    const dim = ctx.encoder.dim;
    return [...convT("decoder1", dim, dim), ...convT("decoder2", dim, dim), ...convT("decoder3", dim, dim), ...convT("decoder4", dim, ctx.classes)];
  },
} as const satisfies DecoderSpec;
