import * as tf from "@tensorflow/tfjs";
import { ConfigError, type DecoderConfig, type EncoderConfig } from "../config.js";
import { gelu } from "../ops/norm.js";
import { adaptiveAvgPool, conv2d, convTranspose2x2, resizeBilinear } from "../ops/spatial.js";
import { spec, type ParamGetter, type ParamSpec } from "../params.js";
import { applyBatchNorm, batchNormParams, convModule, convModuleParams } from "./conv-module.js";
import type { Decoder, DecoderContext } from "./decoder.js";
import { intList, positiveInt, probability, requireGrid } from "./options.js";

interface UperOptions {
  channels: number;
  layerIdxs: number[];
  poolScales: number[];
  dropout: number;
}

function options(ctx: DecoderContext): UperOptions {
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
export const upernetDecoder = {
  id: "upernet",
  description: "UPerNet head with ViT feature pyramid (TransSeg's default, used in the paper)",
  options: ["channels", "layer_idxs", "pool_scales", "dropout"],
  normalize(config: DecoderConfig, encoder: EncoderConfig): DecoderConfig {
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
  layers: (ctx: DecoderContext) => options(ctx).layerIdxs,
  params(ctx: DecoderContext): ParamSpec[] {
    const { channels, poolScales } = options(ctx);
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
  forward(features: readonly tf.Tensor4D[], p: ParamGetter, ctx: DecoderContext, mode): tf.Tensor4D {
    const training = mode.training;
    const { poolScales, dropout } = options(ctx);
    const [f0, f1, f2, f3] = features as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const up1 = gelu(applyBatchNorm(convTranspose2x2(f0, p("fpn1.0.weight"), p("fpn1.0.bias")), p, "fpn1.1", mode)) as tf.Tensor4D;
    const xs = [
      convTranspose2x2(up1, p("fpn1.3.weight"), p("fpn1.3.bias")),
      convTranspose2x2(f1, p("fpn2.0.weight"), p("fpn2.0.bias")),
      f2,
      tf.maxPool(f3, 2, 2, "valid"),
    ] as const;
    const lat = [0, 1, 2].map((i) => convModule(xs[i], p, `lateral_convs.${i}`, mode));
    const top = xs[3];
    const topSize = [top.shape[1], top.shape[2]] as const;
    const psp = [top, ...poolScales.map((s, i) => resizeBilinear(convModule(adaptiveAvgPool(top, s), p, `psp_modules.${i}.1`, mode), topSize))];
    lat.push(convModule(tf.concat(psp, 3), p, "bottleneck", mode));
    for (let i = 3; i > 0; i--) lat[i - 1] = tf.add(lat[i - 1]!, resizeBilinear(lat[i]!, [lat[i - 1]!.shape[1], lat[i - 1]!.shape[2]]));
    const outs = [0, 1, 2].map((i) => convModule(lat[i]!, p, `fpn_convs.${i}`, mode));
    outs.push(lat[3]!);
    const size = [outs[0]!.shape[1], outs[0]!.shape[2]] as const;
    let y = convModule(tf.concat(outs.map((o) => resizeBilinear(o, size)), 3), p, "fpn_bottleneck", mode);
    if (training && dropout > 0) y = tf.dropout(y, dropout, [y.shape[0], 1, 1, y.shape[3]], mode.seed) as tf.Tensor4D; // Dropout2d: whole channels
    // TransSeg resizes x4, which is the input size only for patch 16; resize to `img` instead.
    return resizeBilinear(conv2d(y, p("conv_seg.weight"), p("conv_seg.bias")), ctx.encoder.img);
  },
} as const satisfies Decoder;
