import { flatEncoder, type DecoderConfig, type EncoderConfig } from "../config.js";
import { spec, type ParamSpec } from "../param-spec.js";
import { requireGrid } from "./options.js";
import type { DecoderContext, DecoderSpec } from "./spec.js";

/** PyTorch's default Conv2d init: uniform ±1/sqrt(in·kh·kw) for weight and bias. */
function conv(name: string, cin: number, cout: number, k: number): ParamSpec[] {
  const bound = 1 / Math.sqrt(cin * k * k);
  return [spec(`${name}.weight`, [cout, cin, k, k], "conv2d", { kind: "uniform", bound }), spec(`${name}.bias`, [cout], "plain", { kind: "uniform", bound })];
}

/**
 * TransSeg's SETR progressive-upsampling head on the last block: four Conv3x3 (dim → dim, with
 * bias) each followed by InstanceNorm (no affine, eps 1e-5) and ReLU, bilinear x2
 * (align_corners=False) after the first three; Conv1x1 to the classes; a final bilinear resize
 * to the input size (x2 for patch 16, as TransSeg; TransSeg squares the size, this head does not).
 */
export const setrPupSpec = {
  id: "setr-pup",
  description: "SETR progressive upsampling head (TransSeg's setrpup): 4 conv3x3 + InstanceNorm + ReLU, x2 bilinear steps",
  options: [],
  normalize(config: DecoderConfig, encoder: EncoderConfig): DecoderConfig {
    flatEncoder(encoder, 'decoder "setr-pup"');
    requireGrid(encoder, "setr-pup", [1, 1], "its first InstanceNorm would normalize a single value per channel, which PyTorch refuses", 2);
    return { ...config, kind: "setr-pup" };
  },
  layers: (ctx: DecoderContext) => [ctx.encoder.depth - 1],
  params(ctx: DecoderContext): ParamSpec[] {
    const dim = ctx.encoder.dim;
    return [...[0, 1, 2, 3].flatMap((i) => conv(`decoder${i}`, dim, dim, 3)), ...conv("decoder4", dim, ctx.classes, 1)];
  },
} as const satisfies DecoderSpec;
