import { type DecoderConfig, type EncoderConfig, upernetSpec } from "@transseg/model";
import { conv, convModule, convTranspose2x2 } from "../conv.js";
import type { OnnxDecoder, OnnxDecoderContext } from "../decoder.js";
import { gelu, resizeBilinear } from "../ops.js";
import { adaptiveAvgPool } from "../pooling.js";
import type { TensorSpec } from "../tensors.js";

interface UperOptions {
  channels: number;
  layerIdxs: number[];
  poolScales: number[];
}
const options = (c: DecoderConfig): UperOptions => ({ channels: c.channels as number, layerIdxs: c.layer_idxs as number[], poolScales: c.pool_scales as number[] });

const convModuleSpecs = (prefix: string, cin: number, cout: number, k: number): TensorSpec[] => [
  { name: `${prefix}.conv.weight`, shape: [cout, cin, k, k] },
  ...["weight", "bias", "running_mean", "running_var"].map((n) => ({ name: `${prefix}.bn.${n}`, shape: [cout] })),
];

/**
 * TransSeg's UPerHead (SPEC §3): fpn1..fpn4 multi-scale adapters, 1×1 laterals, PSP on the
 * coarsest map, top-down bilinear additions, 3×3 FPN convs, fused bottleneck, `conv_seg`, ×4.
 * BatchNorms are folded into the preceding (transposed) convolution. Any grid from 2×2 (odd,
 * non-square): every resize targets the static size of the map it joins.
 */
export const upernetOnnxDecoder = {
  id: "upernet",
  description: "UPerNet head with ViT multi-scale adapters (TransSeg), BatchNorm folded",
  /** The same validation and defaults as the TensorFlow.js head (one rule for both engines). */
  normalize: (config: DecoderConfig, encoder: EncoderConfig): DecoderConfig => upernetSpec.normalize(config, encoder),
  layers: (config: DecoderConfig) => options(config).layerIdxs,
  tensors(ctx: Omit<OnnxDecoderContext, "g" | "tensors">): TensorSpec[] {
    const { channels: ch, poolScales } = options(ctx.config);
    const dim = ctx.encoder.dim;
    const d = (specs: TensorSpec[]) => specs.map((s) => ({ name: `decoder.${s.name}`, shape: s.shape }));
    const convT = (p: string) => [{ name: `${p}.weight`, shape: [dim, dim, 2, 2] }, { name: `${p}.bias`, shape: [dim] }];
    return d([
      ...convT("fpn1.0"),
      ...["weight", "bias", "running_mean", "running_var"].map((n) => ({ name: `fpn1.1.${n}`, shape: [dim] })),
      ...convT("fpn1.3"),
      ...convT("fpn2.0"),
      ...poolScales.flatMap((_, i) => convModuleSpecs(`psp_modules.${i}.1`, dim, ch, 1)),
      ...convModuleSpecs("bottleneck", dim + poolScales.length * ch, ch, 3),
      ...[0, 1, 2].flatMap((i) => convModuleSpecs(`lateral_convs.${i}`, dim, ch, 1)),
      ...[0, 1, 2].flatMap((i) => convModuleSpecs(`fpn_convs.${i}`, ch, ch, 3)),
      ...convModuleSpecs("fpn_bottleneck", 4 * ch, ch, 3),
      { name: "conv_seg.weight", shape: [ctx.classes, ch, 1, 1] },
      { name: "conv_seg.bias", shape: [ctx.classes] },
    ]);
  },
  build(ctx: OnnxDecoderContext, features: readonly string[]): string {
    const { g, tensors, classes } = ctx;
    const { channels: ch, poolScales } = options(ctx.config);
    const dim = ctx.encoder.dim;
    const [gh, gw] = ctx.grid;
    const [f0, f1, f2, f3] = features as [string, string, string, string];
    // multi-scale adapters: sizes 4G, 2G, G, floor(G/2) (MaxPool without ceil_mode floors, as max_pool2d)
    const sizes: [number, number][] = [[4 * gh, 4 * gw], [2 * gh, 2 * gw], [gh, gw], [Math.floor(gh / 2), Math.floor(gw / 2)]];
    const up1 = gelu(g, convTranspose2x2(g, tensors, f0, "decoder.fpn1.0", dim, "fpn1_0", "decoder.fpn1.1"), "fpn1_gelu");
    const xs = [
      convTranspose2x2(g, tensors, up1, "decoder.fpn1.3", dim, "fpn1"),
      convTranspose2x2(g, tensors, f1, "decoder.fpn2.0", dim, "fpn2"),
      f2,
      g.op("MaxPool", [f3], { kernel_shape: [2, 2], strides: [2, 2] }, "fpn4"),
    ] as const;
    const lat = [0, 1, 2].map((i) => convModule(g, tensors, xs[i], `decoder.lateral_convs.${i}`, dim, ch, 1, `lateral${i}`));
    // PSP on the coarsest map
    const [th, tw] = sizes[3];
    const psp = poolScales.map((s, i) => {
      const pooled = adaptiveAvgPool(g, xs[3], th, tw, s, `psp${i}_pool`);
      return resizeBilinear(g, convModule(g, tensors, pooled, `decoder.psp_modules.${i}.1`, dim, ch, 1, `psp${i}`), th, tw, `psp${i}_up`);
    });
    const cat = g.op("Concat", [xs[3], ...psp], { axis: 1 }, "psp_cat");
    lat.push(convModule(g, tensors, cat, "decoder.bottleneck", dim + poolScales.length * ch, ch, 3, "bottleneck"));
    // top-down
    for (let i = 3; i > 0; i--) {
      const [h, w] = sizes[i - 1]!;
      lat[i - 1] = g.op("Add", [lat[i - 1]!, resizeBilinear(g, lat[i]!, h, w, `topdown${i}_up`)], {}, `topdown${i - 1}`);
    }
    const outs = [0, 1, 2].map((i) => convModule(g, tensors, lat[i]!, `decoder.fpn_convs.${i}`, ch, ch, 3, `fpn_conv${i}`));
    outs.push(lat[3]!);
    const [h0, w0] = sizes[0];
    const fused = g.op("Concat", [outs[0]!, ...outs.slice(1).map((o, i) => resizeBilinear(g, o, h0, w0, `fpn_out${i + 1}_up`))], { axis: 1 }, "fpn_cat");
    const y = conv(g, tensors, convModule(g, tensors, fused, "decoder.fpn_bottleneck", 4 * ch, ch, 3, "fpn_bottleneck"), "decoder.conv_seg", ch, classes, 1, "conv_seg");
    // Back to the model input size (×4 for patch 16; any patch: the img itself).
    return resizeBilinear(g, y, ctx.encoder.img[0], ctx.encoder.img[1], "logits_up");
  },
} as const satisfies OnnxDecoder;
