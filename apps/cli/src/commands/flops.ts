import { readCheckpoint } from "@transseg/weights";
import { isSwinKind, type SwinEncoderConfigInput } from "@transseg/model";
import type { EncoderConfigInput } from "@transseg/vit3d";
import type { CliIO } from "../io.js";
import { flag, intOpt, parseSize, stringOpt } from "../args.js";
import type { Command, ParsedArgs } from "../command.js";
import { unknownChoice, UsageError } from "../errors.js";
import { ENCODER_PRESET_IDS, loadVit3d } from "../heavy.js";

export const flopsCommand = {
  name: "flops",
  summary: "Count the encoder's FLOPs (2 × MACs, as TransSeg's compute_flops.py) and parameters",
  usage: `Usage: transseg flops (--encoder <preset> | --checkpoint <seg.safetensors>) [--img 512x512] [--window 5]
                      [--patch-depth <n>] [--in-channels 1] [--2d] [--json]

Counts one forward pass of the encoder for a batch of one: linear, matmul and convolution MACs,
plus the elementwise scale and layer-norm products (torchprofile's rule); Swin / Video Swin as
TransSeg's compute_flops.py counts them (padded windows, masks and rolls as torchprofile does).
With --checkpoint the architecture comes from its transseg config; the options override it.

Options:
  --encoder <preset>      ${ENCODER_PRESET_IDS.join(", ")}
  --checkpoint <file>     a transseg-seg/1 checkpoint
  --img <HxW>             image size (default 512x512, or the checkpoint's)
  --window <n>            slices per window (default 5, or the checkpoint's)
  --patch-depth <n>       slices per patch (default = window)
  --in-channels <n>       input channels (default 1)
  --2d                    the 2D ("w/o D") model: centre slice only, patch depth 1
  --json                  print {"flops","macs","params"}`,
  options: {
    encoder: { type: "string" },
    checkpoint: { type: "string" },
    img: { type: "string" },
    window: { type: "string" },
    "patch-depth": { type: "string" },
    "in-channels": { type: "string" },
    "2d": { type: "boolean" },
    json: { type: "boolean" },
  },
  async run(args, io) {
    const { builtinEncoders, countFlops, encoderMacs, encoderParams, encoderPresets, normalizeEncoderConfig, readSegConfig, swinPresets } = await loadVit3d();
    const presetId = stringOpt(args, "encoder");
    const checkpoint = stringOpt(args, "checkpoint");
    if ((presetId === undefined) === (checkpoint === undefined)) throw new UsageError("give exactly one of --encoder <preset> or --checkpoint <file>");
    let base: EncoderConfigInput;
    if (presetId !== undefined) {
      const presets: Readonly<Record<string, (typeof encoderPresets)[keyof typeof encoderPresets]>> = encoderPresets;
      const swin: Readonly<Record<string, (typeof swinPresets)[keyof typeof swinPresets]>> = swinPresets;
      if (swin[presetId]) return swinFlops(args, io, { ...swin[presetId]!.encoder, img: [512, 512], window: 5, in_channels: 1 });
      const preset = presets[presetId];
      if (!preset) throw unknownChoice("encoder preset", presetId, [...Object.keys(presets), ...Object.keys(swin)]);
      base = { ...preset.encoder, img: [512, 512], window: 5, in_channels: 1 };
    } else {
      const encoder = readSegConfig(await readCheckpoint(checkpoint!), checkpoint!).encoder;
      if (isSwinKind(encoder.kind)) return swinFlops(args, io, encoder as SwinEncoderConfigInput);
      base = encoder as EncoderConfigInput;
    }
    const window = intOpt(args, "window", base.window ?? 5);
    const imgText = stringOpt(args, "img");
    const config = normalizeEncoderConfig({
      ...base,
      img: imgText ? parseSize(imgText) : base.img,
      window,
      patch_depth: intOpt(args, "patch-depth", stringOpt(args, "window") ? window : (base.patch_depth ?? window)),
      in_channels: intOpt(args, "in-channels", base.in_channels ?? 1),
      force_2d: flag(args, "2d") || (base.force_2d ?? false),
    });
    const kinds: Readonly<Record<string, (typeof builtinEncoders)[keyof typeof builtinEncoders]>> = builtinEncoders;
    const kind = kinds[config.kind];
    if (!kind) throw unknownChoice("encoder kind", config.kind, Object.keys(kinds));
    const macs = encoderMacs(config).total;
    const flops = countFlops(config);
    const params = encoderParams(config, kind).filter((p) => p.trainable).reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
    if (flag(args, "json")) {
      io.stdout(`${JSON.stringify({ flops, macs, params })}\n`);
      return;
    }
    const g = (x: number) => `${(x / 1e9).toFixed(3)} G`;
    io.stdout(`${config.kind} dim ${config.dim} depth ${config.depth}, ${config.img[0]}x${config.img[1]}, ${config.force_2d ? "2D (centre slice)" : `window ${config.window}, patch depth ${config.patch_depth}`}, ${config.in_channels} channel(s)\n  FLOPs   ${flops.toLocaleString("en-US")} (${g(flops)})\n  MACs    ${macs.toLocaleString("en-US")}\n  params  ${params.toLocaleString("en-US")}\n`);
  },
} as const satisfies Command;

/**
 * `transseg flops` for a Swin / Video Swin encoder: TransSeg's count (torchprofile's rules on
 * the padded maps, `countSwinFlops`), the options overriding the preset's or checkpoint's fields.
 */
async function swinFlops(args: ParsedArgs, io: CliIO, base: SwinEncoderConfigInput): Promise<void> {
  const { countSwinFlops, normalizeSwinConfig, swinEncoderParams, swinMacs } = await loadVit3d();
  const window = intOpt(args, "window", base.window ?? 5);
  const imgText = stringOpt(args, "img");
  const config = normalizeSwinConfig({
    ...base,
    img: imgText ? parseSize(imgText) : base.img,
    window,
    patch_depth: base.kind === "swin" ? window : intOpt(args, "patch-depth", base.patch_depth ?? 2),
    in_channels: intOpt(args, "in-channels", base.in_channels ?? 1),
    force_2d: flag(args, "2d") || (base.force_2d ?? false),
  });
  const macs = swinMacs(config).total;
  const flops = countSwinFlops(config);
  const params = swinEncoderParams(config).filter((p) => p.trainable).reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
  if (flag(args, "json")) {
    io.stdout(`${JSON.stringify({ flops, macs, params })}\n`);
    return;
  }
  const g = (x: number) => `${(x / 1e9).toFixed(3)} G`;
  const patch = config.kind === "swin" ? (config.force_2d ? "2D (centre slice)" : `window ${config.window}, patch ${config.window}x${config.patch}x${config.patch}`) : `${config.force_2d ? "2D (centre slice)" : `window ${config.window}`}, patch ${config.patch_depth}x${config.patch}x${config.patch}`;
  io.stdout(`${config.kind} embed ${config.embed_dim} depths [${config.depths.join(", ")}] heads [${config.heads.join(", ")}] window size ${config.window_size.join("x")}, ${config.img[0]}x${config.img[1]}, ${patch}, ${config.in_channels} channel(s)\n  FLOPs   ${flops.toLocaleString("en-US")} (${g(flops)})\n  MACs    ${macs.toLocaleString("en-US")}\n  params  ${params.toLocaleString("en-US")}\n`);
}
