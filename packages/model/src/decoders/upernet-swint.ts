import { ConfigError, type DecoderConfig, type ModelEncoderConfig } from "../config.js";
import { isSwinConfig, swinStageDims, swinStageGrids, type SwinEncoderConfig } from "../encoder/swin/config.js";
import { spec, type ParamSpec } from "../param-spec.js";
import { convModuleParams } from "./conv-params.js";
import { intList, positiveInt, probability } from "./options.js";
import type { DecoderContext, DecoderSpec } from "./spec.js";

export interface UperSwinOptions {
  channels: number;
  poolScales: number[];
  dropout: number;
}

export function upernetSwintOptions(ctx: DecoderContext<ModelEncoderConfig>): UperSwinOptions {
  const c = ctx.config;
  return { channels: c.channels as number, poolScales: c.pool_scales as number[], dropout: c.dropout as number };
}

/** The Swin encoder a hierarchical head sits on; a one-line ConfigError for any other. */
export function hierarchicalEncoder(encoder: { readonly kind: string }, decoder: string): SwinEncoderConfig {
  if (!isSwinConfig(encoder)) throw new ConfigError(`decoder "${decoder}" needs a hierarchical encoder (swin, swin3d), not "${encoder.kind}": use decoder "upernet" for ViT/BEiT encoders`);
  return encoder;
}

/**
 * TransSeg's `upernet-swint`: its UPerHead with `fpns=False` on the four Swin stage outputs
 * (lateral inputs `[C, 2C, 4C, 8C]`, strides 4 … 32): PSP (pool scales 1, 2, 3, 6) on the last
 * stage, 1x1 laterals on the others, top-down bilinear fusion, 3x3 fpn convs, fpn_bottleneck,
 * Dropout2d 0.1 in training, conv_seg, bilinear resize to `img` (TransSeg resizes to 4 × the
 * stride-4 map's width in both axes, which is `img` for square inputs that are multiples of 4).
 */
export const upernetSwintSpec = {
  id: "upernet-swint",
  description: "UPerNet head on the four Swin stages (TransSeg's upernet-swint; chosen for swin / swin3d)",
  options: ["channels", "pool_scales", "dropout"],
  hierarchical: true,
  normalize(config: DecoderConfig, encoder: ModelEncoderConfig): DecoderConfig {
    const e = hierarchicalEncoder(encoder, "upernet-swint");
    if (e.depths.length !== 4) throw new ConfigError(`decoder "upernet-swint" needs 4 encoder stages (encoder.depths lists ${e.depths.length})`);
    const last = swinStageGrids(e)[3]!;
    if (last[0] < 1 || last[1] < 1) throw new ConfigError(`decoder "upernet-swint": img ${e.img.join("x")} is too small`);
    return {
      ...config,
      kind: "upernet-swint",
      channels: positiveInt(config.channels, "decoder.channels", 512),
      pool_scales: intList(config.pool_scales, "decoder.pool_scales", [1, 2, 3, 6]),
      dropout: probability(config.dropout, "decoder.dropout", 0.1),
    };
  },
  layers: () => [0, 1, 2, 3],
  params(ctx: DecoderContext<ModelEncoderConfig>): ParamSpec[] {
    const { channels, poolScales } = upernetSwintOptions(ctx);
    const dims = swinStageDims(hierarchicalEncoder(ctx.encoder, "upernet-swint"));
    const top = dims[3]!;
    return [
      ...poolScales.flatMap((_, i) => convModuleParams(`psp_modules.${i}.1`, top, channels, 1)),
      ...convModuleParams("bottleneck", top + poolScales.length * channels, channels, 3),
      ...[0, 1, 2].flatMap((i) => convModuleParams(`lateral_convs.${i}`, dims[i]!, channels, 1)),
      ...[0, 1, 2].flatMap((i) => convModuleParams(`fpn_convs.${i}`, channels, channels, 3)),
      ...convModuleParams("fpn_bottleneck", 4 * channels, channels, 3),
      spec("conv_seg.weight", [ctx.classes, channels, 1, 1], "conv2d", { kind: "normal", std: 0.01 }),
      spec("conv_seg.bias", [ctx.classes], "plain", { kind: "zeros" }),
    ];
  },
} as const satisfies DecoderSpec;
