import { type DecoderConfig, hierarchicalEncoder, type ModelEncoderConfig, swinStageDims, swinStageGrids, upernetSwintSpec } from "@transseg/model";
import { conv, convModule } from "../conv.js";
import type { OnnxDecoder, OnnxDecoderContext } from "../decoder.js";
import { resizeBilinear } from "../ops.js";
import { adaptiveAvgPool } from "../pooling.js";
import type { TensorSpec } from "../tensors.js";

interface Options {
  channels: number;
  poolScales: number[];
}
const options = (c: DecoderConfig): Options => ({ channels: c.channels as number, poolScales: c.pool_scales as number[] });

const convModuleSpecs = (prefix: string, cin: number, cout: number, k: number): TensorSpec[] => [
  { name: `${prefix}.conv.weight`, shape: [cout, cin, k, k] },
  ...["weight", "bias", "running_mean", "running_var"].map((n) => ({ name: `${prefix}.bn.${n}`, shape: [cout] })),
];

/**
 * TransSeg's `upernet-swint` (its UPerHead with `fpns=False`) on the four Swin stage maps: 1×1
 * laterals on stages 0–2, PSP on stage 3, top-down bilinear additions, 3×3 FPN convs, fused
 * bottleneck, `conv_seg`, bilinear to `img`. BatchNorms folded into the convolutions.
 */
export const upernetSwintOnnxDecoder = {
  id: "upernet-swint",
  description: "UPerNet head on the four Swin stages (TransSeg's upernet-swint), BatchNorm folded",
  hierarchical: true,
  normalize: (config: DecoderConfig, encoder: ModelEncoderConfig): DecoderConfig => upernetSwintSpec.normalize(config, encoder),
  layers: () => [0, 1, 2, 3],
  tensors(ctx): TensorSpec[] {
    const { channels: ch, poolScales } = options(ctx.config);
    const dims = swinStageDims(hierarchicalEncoder(ctx.encoder, "upernet-swint"));
    const d = (specs: TensorSpec[]) => specs.map((s) => ({ name: `decoder.${s.name}`, shape: s.shape }));
    return d([
      ...poolScales.flatMap((_, i) => convModuleSpecs(`psp_modules.${i}.1`, dims[3]!, ch, 1)),
      ...convModuleSpecs("bottleneck", dims[3]! + poolScales.length * ch, ch, 3),
      ...[0, 1, 2].flatMap((i) => convModuleSpecs(`lateral_convs.${i}`, dims[i]!, ch, 1)),
      ...[0, 1, 2].flatMap((i) => convModuleSpecs(`fpn_convs.${i}`, ch, ch, 3)),
      ...convModuleSpecs("fpn_bottleneck", 4 * ch, ch, 3),
      { name: "conv_seg.weight", shape: [ctx.classes, ch, 1, 1] },
      { name: "conv_seg.bias", shape: [ctx.classes] },
    ]);
  },
  build(ctx: OnnxDecoderContext<ModelEncoderConfig>, features: readonly string[]): string {
    const { g, tensors, classes } = ctx;
    const { channels: ch, poolScales } = options(ctx.config);
    const e = hierarchicalEncoder(ctx.encoder, "upernet-swint");
    const dims = swinStageDims(e);
    const sizes = swinStageGrids(e);
    const lat = [0, 1, 2].map((i) => convModule(g, tensors, features[i]!, `decoder.lateral_convs.${i}`, dims[i]!, ch, 1, `lateral${i}`));
    const [th, tw] = sizes[3]!;
    const psp = poolScales.map((s, i) => {
      const pooled = adaptiveAvgPool(g, features[3]!, th, tw, s, `psp${i}_pool`);
      return resizeBilinear(g, convModule(g, tensors, pooled, `decoder.psp_modules.${i}.1`, dims[3]!, ch, 1, `psp${i}`), th, tw, `psp${i}_up`);
    });
    const cat = g.op("Concat", [features[3]!, ...psp], { axis: 1 }, "psp_cat");
    lat.push(convModule(g, tensors, cat, "decoder.bottleneck", dims[3]! + poolScales.length * ch, ch, 3, "bottleneck"));
    for (let i = 3; i > 0; i--) {
      const [h, w] = sizes[i - 1]!;
      lat[i - 1] = g.op("Add", [lat[i - 1]!, resizeBilinear(g, lat[i]!, h, w, `topdown${i}_up`)], {}, `topdown${i - 1}`);
    }
    const outs = [0, 1, 2].map((i) => convModule(g, tensors, lat[i]!, `decoder.fpn_convs.${i}`, ch, ch, 3, `fpn_conv${i}`));
    outs.push(lat[3]!);
    const [h0, w0] = sizes[0]!;
    const fused = g.op("Concat", [outs[0]!, ...outs.slice(1).map((o, i) => resizeBilinear(g, o, h0, w0, `fpn_out${i + 1}_up`))], { axis: 1 }, "fpn_cat");
    const y = conv(g, tensors, convModule(g, tensors, fused, "decoder.fpn_bottleneck", 4 * ch, ch, 3, "fpn_bottleneck"), "decoder.conv_seg", ch, classes, 1, "conv_seg");
    return resizeBilinear(g, y, e.img[0], e.img[1], "logits_up");
  },
} as const satisfies OnnxDecoder;
