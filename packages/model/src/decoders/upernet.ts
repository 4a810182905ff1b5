import { ConfigError, type DecoderConfig, type EncoderConfig, flatEncoder } from "../config.js";
import { spec, type ParamSpec } from "../param-spec.js";
import { batchNormParams, convModuleParams } from "./conv-params.js";
import { intList, positiveInt, probability, requireGrid } from "./options.js";
import type { DecoderContext, DecoderSpec } from "./spec.js";

export interface UperOptions {
  channels: number;
  layerIdxs: number[];
  poolScales: number[];
  dropout: number;
}

export function upernetOptions(ctx: DecoderContext): UperOptions {
  const c = ctx.config;
  return { channels: c.channels as number, layerIdxs: c.layer_idxs as number[], poolScales: c.pool_scales as number[], dropout: c.dropout as number };
}

/** PyTorch's default ConvTranspose2d init: uniform ±1/sqrt(out·kh·kw) (its fan-in is dim 1). */
function convT(name: string, cin: number, cout: number): ParamSpec[] {
  const bound = 1 / Math.sqrt(cout * 4);
  return [spec(`${name}.weight`, [cin, cout, 2, 2], "conv-transpose-2d", { kind: "uniform", bound }), spec(`${name}.bias`, [cout], "plain", { kind: "uniform", bound })];
}

/**
 * TransSeg's UPerHead (mmseg UPerNet with the ViT multi-scale adapters fpn1..fpn4), on the
 * features of `layer_idxs` (default [3, 5, 7, 11]): x4, x2, x1, x1/2 pyramids; PSP (pool
 * scales 1, 2, 3, 6) on the coarsest; top-down bilinear fusion; fpn_bottleneck; conv_seg;
 * bilinear resize to the input size `img` (x4 for patch 16, as TransSeg; x2 for patch 8). Dropout 0.1 before conv_seg in training.
 * Token grids of any size from 2x2 (odd, non-square): the max pooling floors (3 → 1) and every
 * resize in the PSP, top-down and merge steps targets the size of the map it joins (SPEC §3).
 */
export const upernetSpec = {
  id: "upernet",
  description: "UPerNet head with ViT feature pyramid (TransSeg's default, used in the paper)",
  options: ["channels", "layer_idxs", "pool_scales", "dropout"],
  normalize(config: DecoderConfig, encoder: EncoderConfig): DecoderConfig {
    flatEncoder(encoder, 'decoder "upernet"');
    const layerIdxs = intList(config.layer_idxs, "decoder.layer_idxs", [3, 5, 7, 11]);
    if (layerIdxs.length !== 4) throw new ConfigError(`decoder.layer_idxs must list 4 blocks for upernet (got ${layerIdxs.length})`);
    const bad = layerIdxs.find((i) => i >= encoder.depth);
    if (bad !== undefined) throw new ConfigError(`decoder.layer_idxs has block ${bad} but the encoder has ${encoder.depth} blocks`);
    // Any grid from 2x2 up, odd and non-square included (the 2x2 max pooling floors, every
    // resize targets the map it is added to); a side of 1 would pool to size 0.
    requireGrid(encoder, "upernet", [2, 2], "its 2x2 max pooling (fpn4) would reach size 0");
    return {
      ...config,
      kind: "upernet",
      channels: positiveInt(config.channels, "decoder.channels", encoder.dim),
      layer_idxs: layerIdxs,
      pool_scales: intList(config.pool_scales, "decoder.pool_scales", [1, 2, 3, 6]),
      dropout: probability(config.dropout, "decoder.dropout", 0.1),
    };
  },
  layers: (ctx: DecoderContext) => upernetOptions(ctx).layerIdxs,
  params(ctx: DecoderContext): ParamSpec[] {
    const { channels, poolScales } = upernetOptions(ctx);
    const dim = ctx.encoder.dim;
    return [
      ...convT("fpn1.0", dim, dim),
      ...batchNormParams("fpn1.1", dim),
      ...convT("fpn1.3", dim, dim),
      ...convT("fpn2.0", dim, dim),
      ...poolScales.flatMap((_, i) => convModuleParams(`psp_modules.${i}.1`, dim, channels, 1)),
      ...convModuleParams("bottleneck", dim + poolScales.length * channels, channels, 3),
      ...[0, 1, 2].flatMap((i) => convModuleParams(`lateral_convs.${i}`, dim, channels, 1)),
      ...[0, 1, 2].flatMap((i) => convModuleParams(`fpn_convs.${i}`, channels, channels, 3)),
      ...convModuleParams("fpn_bottleneck", 4 * channels, channels, 3),
      spec("conv_seg.weight", [ctx.classes, channels, 1, 1], "conv2d", { kind: "normal", std: 0.01 }),
      spec("conv_seg.bias", [ctx.classes], "plain", { kind: "zeros" }),
    ];
  },
} as const satisfies DecoderSpec;
