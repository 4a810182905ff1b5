import { ConfigError, encoderGrid, type DecoderConfig, type EncoderConfig, flatEncoder } from "../config.js";
import { spec, type ParamSpec } from "../param-spec.js";
import type { DecoderContext, DecoderSpec } from "./spec.js";

export interface UnetrOptions {
  featureSize: number;
  layerIdxs: number[];
}

export const unetrOptions = (ctx: DecoderContext): UnetrOptions => ({ featureSize: ctx.config.feature_size as number, layerIdxs: ctx.config.layer_idxs as number[] });

/** In-plane ×2 stages: log2(patch). */
export const unetrStages = (e: EncoderConfig): number => Math.log2(e.patch);

/** PyTorch's default Conv3d init (bias-free, as MONAI's blocks): uniform ±1/sqrt(in·k³). */
function conv(name: string, cin: number, cout: number, k: number): ParamSpec {
  return spec(name, [cout, cin, k, k, k], "plain", { kind: "uniform", bound: 1 / Math.sqrt(cin * k ** 3) });
}

/** PyTorch's default ConvTranspose3d init: uniform ±1/sqrt(out·kd·kh·kw) (its fan-in is dim 1). */
function convT(name: string, cin: number, cout: number): ParamSpec {
  return spec(name, [cin, cout, 1, 2, 2], "plain", { kind: "uniform", bound: 1 / Math.sqrt(cout * 4) });
}

/** MONAI's UnetResBlock (kernel 3, stride 1, InstanceNorm without affine): conv1, conv2, + conv3 (1×1×1) when in ≠ out. */
function resBlockParams(name: string, cin: number, cout: number): ParamSpec[] {
  const specs = [conv(`${name}.conv1.conv.weight`, cin, cout, 3), conv(`${name}.conv2.conv.weight`, cout, cout, 3)];
  if (cin !== cout) specs.push(conv(`${name}.conv3.conv.weight`, cin, cout, 1));
  return specs;
}

/** Channels of the skip path `encoder{k}` (k = 2..n): feature_size · 2^(k−1), as MONAI's 2F, 4F, 8F. */
const skipChannels = (f: number, k: number) => f * 2 ** (k - 1);

/** Evenly spaced blocks ending at the last: depth 12, 4 stages → [2, 5, 8, 11] (the paper's z3, z6, z9, z12). */
export function defaultUnetrLayers(depth: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.max(0, Math.round(((i + 1) * depth) / count) - 1));
}

/**
 * UNETR (Hatamizadeh et al. 2022) for depth-token encoders (Gd > 1), with MONAI's block names
 * and PyTorch layouts. On the patch-16 token grid `[Gd, Gh, Gw]` there are n = log2(patch)
 * in-plane ×2 stages and `layer_idxs` lists n blocks (default evenly spaced, [2, 5, 8, 11] for
 * 12 blocks): the last is the bottleneck, block i < n−1 is the skip `encoder{i+2}`
 * (UnetrPrUpBlock: ConvTranspose ×2^(n−1−i) with UnetResBlocks, to feature_size·2^(i+1)
 * channels). `decoder{n+1} … decoder3` are UnetrUpBlocks (ConvTranspose ×2, concat the skip,
 * UnetResBlock); `decoder2` upsamples to full resolution without a skip (MONAI's `encoder1`
 * reads the raw image, which a decoder never sees). Blocks: Conv3d 3×3×3 without bias →
 * InstanceNorm3d (no affine, eps 1e-5) → LeakyReLU 0.01, residual (MONAI's defaults).
 *
 * Depth: every transposed convolution has kernel = stride = [1, 2, 2], so the decoder runs at
 * depth-token resolution and its 3×3×3 convolutions mix neighbouring depth tokens; at the end the
 * centre depth token is taken and `out` (1×1×1 conv) gives the logits of the window's centre
 * slice. The window and Gd are odd, so the centre slice is exactly the centre of the centre
 * token; upsampling depth ×patch_depth would cost patch_depth× more at every stage to then keep
 * one slice.
 */
export const unetrSpec = {
  id: "unetr",
  description: "UNETR head for depth-token encoders (Gd > 1): 3D transposed-conv + residual conv stages with skips, centre slice out",
  volumetric: true,
  options: ["feature_size", "layer_idxs"],
  normalize(config: DecoderConfig, encoder: EncoderConfig): DecoderConfig {
    flatEncoder(encoder, 'decoder "unetr"');
    const [gd] = encoderGrid(encoder);
    if (gd === 1) {
      const why = encoder.force_2d ? "encoder.force_2d is set" : `encoder.patch_depth ${encoder.patch_depth} = window ${encoder.window}`;
      throw new ConfigError(`decoder "unetr" needs depth tokens (Gd > 1) but ${why} gives Gd = 1: use decoder kind "upernet", or a patch_depth below the window`);
    }
    const n = unetrStages(encoder);
    if (!Number.isInteger(n) || n < 1) throw new ConfigError(`decoder "unetr" needs a power-of-two encoder.patch (got ${encoder.patch})`);
    const featureSize = config.feature_size ?? 16;
    if (typeof featureSize !== "number" || !Number.isInteger(featureSize) || featureSize <= 0) throw new ConfigError(`decoder.feature_size must be a positive integer (got ${JSON.stringify(featureSize)})`);
    const layerIdxs = config.layer_idxs ?? defaultUnetrLayers(encoder.depth, n);
    if (!Array.isArray(layerIdxs) || !layerIdxs.every((i) => Number.isInteger(i) && i >= 0)) throw new ConfigError(`decoder.layer_idxs must be a list of non-negative integers (got ${JSON.stringify(layerIdxs)})`);
    if (layerIdxs.length !== n) throw new ConfigError(`decoder.layer_idxs must list ${n} blocks for unetr with patch ${encoder.patch} (got ${layerIdxs.length})`);
    const bad = (layerIdxs as number[]).find((i) => i >= encoder.depth);
    if (bad !== undefined) throw new ConfigError(`decoder.layer_idxs has block ${bad} but the encoder has ${encoder.depth} blocks`);
    return { ...config, kind: "unetr", feature_size: featureSize, layer_idxs: layerIdxs };
  },
  layers: (ctx: DecoderContext) => unetrOptions(ctx).layerIdxs,
  params(ctx: DecoderContext): ParamSpec[] {
    const { featureSize: f } = unetrOptions(ctx);
    const dim = ctx.encoder.dim;
    const n = unetrStages(ctx.encoder);
    const specs: ParamSpec[] = [];
    for (let k = 2; k <= n; k++) {
      const c = skipChannels(f, k);
      specs.push(convT(`encoder${k}.transp_conv_init.conv.weight`, dim, c));
      for (let j = 0; j < n - k; j++) specs.push(convT(`encoder${k}.blocks.${j}.0.conv.weight`, c, c), ...resBlockParams(`encoder${k}.blocks.${j}.1`, c, c));
    }
    for (let k = n + 1; k >= 2; k--) {
      const cin = k === n + 1 ? dim : f * 2 ** (k - 1);
      const cout = f * 2 ** (k - 2);
      specs.push(convT(`decoder${k}.transp_conv.conv.weight`, cin, cout), ...resBlockParams(`decoder${k}.conv_block`, k > 2 ? 2 * cout : cout, cout));
    }
    const bound = 1 / Math.sqrt(f);
    specs.push(spec("out.conv.conv.weight", [ctx.classes, f, 1, 1, 1], "plain", { kind: "uniform", bound }), spec("out.conv.conv.bias", [ctx.classes], "plain", { kind: "uniform", bound }));
    return specs;
  },
} as const satisfies DecoderSpec & { readonly volumetric: true };
