import { type DecoderConfig, type EncoderConfig, encoderGrid, unetrSpec } from "@transseg/model";
import { convNd, convTransposeStrided } from "../conv.js";
import { floatAttr } from "../graph-builder.js";
import type { OnnxDecoder, OnnxDecoderContext } from "../decoder.js";
import { instanceNorm, reshapeBatch } from "../ops.js";
import { decoderTensorSpecs } from "./tensor-specs.js";

/**
 * UNETR for depth-token encoders (the TensorFlow.js `unetr`, Gd > 1) on the `[B, dim, Gd, Gh, Gw]`
 * token volumes of its blocks: ConvTranspose3d kernel = stride = [1, 2, 2] (bias-free), MONAI's
 * UnetResBlock as Conv 3×3×3 (bias-free, pad 1) → InstanceNormalization (no affine, eps 1e-5) →
 * LeakyRelu 0.01 with a residual (Conv 1×1×1 + InstanceNormalization when channels change),
 * Concat of the skips, the centre depth token, `out` Conv 1×1×1 → `[B, classes, H, W]`.
 */
export const unetrOnnxDecoder = {
  id: "unetr",
  description: "UNETR head for depth-token encoders (Gd > 1): 3D transposed-conv + residual conv stages with skips, centre slice out",
  volumetric: true,
  normalize: (config: DecoderConfig, encoder: EncoderConfig): DecoderConfig => unetrSpec.normalize(config, encoder),
  layers: (config: DecoderConfig) => config.layer_idxs as number[],
  tensors: (ctx: Omit<OnnxDecoderContext, "g" | "tensors">) => decoderTensorSpecs(unetrSpec, ctx),
  build(ctx: OnnxDecoderContext, features: readonly string[]): string {
    const { g, tensors } = ctx;
    const shapes = new Map(decoderTensorSpecs(unetrSpec, ctx).map((s) => [s.name, s.shape]));
    const shape = (name: string) => shapes.get(`decoder.${name}`)!;
    const n = Math.log2(ctx.encoder.patch);
    const lrelu = (x: string, hint: string) => g.op("LeakyRelu", [x], { alpha: floatAttr(0.01) }, hint);
    const up = (x: string, name: string, hint: string) => convTransposeStrided(g, tensors, x, `decoder.${name}`, shape(name), undefined, hint);
    const conv = (x: string, name: string, hint: string) => convNd(g, tensors, x, `decoder.${name}`, shape(name), undefined, hint);
    const norm = (x: string, name: string, hint: string) => instanceNorm(g, x, shape(name)[0]!, hint);
    const resBlock = (x: string, name: string, hint: string): string => {
      const c1 = `${name}.conv1.conv.weight`;
      const c2 = `${name}.conv2.conv.weight`;
      const c3 = `${name}.conv3.conv.weight`;
      const y1 = lrelu(norm(conv(x, c1, `${hint}_conv1`), c1, `${hint}_norm1`), `${hint}_act1`);
      const y2 = norm(conv(y1, c2, `${hint}_conv2`), c2, `${hint}_norm2`);
      const residual = shapes.has(`decoder.${c3}`) ? norm(conv(x, c3, `${hint}_conv3`), c3, `${hint}_norm3`) : x;
      return lrelu(g.op("Add", [y2, residual], {}, `${hint}_sum`), hint);
    };
    const skips = new Map<number, string>();
    for (let k = 2; k <= n; k++) {
      let x = up(features[k - 2]!, `encoder${k}.transp_conv_init.conv.weight`, `encoder${k}_init`);
      for (let j = 0; j < n - k; j++) x = resBlock(up(x, `encoder${k}.blocks.${j}.0.conv.weight`, `encoder${k}_${j}_up`), `encoder${k}.blocks.${j}.1`, `encoder${k}_${j}`);
      skips.set(k, x);
    }
    let y = features[n - 1]!;
    for (let k = n + 1; k >= 2; k--) {
      y = up(y, `decoder${k}.transp_conv.conv.weight`, `decoder${k}_up`);
      if (k > 2) y = g.op("Concat", [y, skips.get(k - 1)!], { axis: 1 }, `decoder${k}_cat`);
      y = resBlock(y, `decoder${k}.conv_block`, `decoder${k}`);
    }
    const [gd] = encoderGrid(ctx.encoder);
    const c = (gd - 1) / 2;
    const centre = g.op("Slice", [y, g.ints([c]), g.ints([c + 1]), g.ints([2])], {}, "centre_token");
    const logits = convNd(g, tensors, centre, "decoder.out.conv.conv.weight", shape("out.conv.conv.weight"), "decoder.out.conv.conv.bias", "out_conv");
    const [H, W] = ctx.encoder.img;
    return reshapeBatch(g, logits, [ctx.classes, H, W], "unetr_logits");
  },
} as const satisfies OnnxDecoder;
