import { basename } from "node:path";
import { builtinStrategies, INFLATION_METADATA_KEY, inflateCheckpoint, inflateSwinCheckpoint, inflationMetadata, swinInflationMetadata, type TensorChange, type TensorNote } from "@transseg/inflate";
import { builtinAdapters, canonicalize, readCheckpoint, SWIN_LAYOUTS, writeSafetensors, type TensorMap } from "@transseg/weights";
import { flag, intOpt, parseKeyValues, parseSize, requiredOpt, requiredPositional, stringOpt } from "../args.js";
import type { Command } from "../command.js";
import { UsageError } from "../errors.js";
import { progress } from "../io.js";
import { commandPlugins, PLUGIN_OPTION } from "../plugins/options.js";

export const inflateCommand = {
  name: "inflate",
  summary: "Inflate a 2D ViT or Swin checkpoint to a 3D (window) encoder",
  usage: `Usage: transseg inflate <ckpt-2d> -o <out.safetensors> [options]

Reads a 2D checkpoint in any supported format and source layout, maps it to canonical timm/BEiT
names, inflates the patch embedding to 3D and resizes position tables (SPEC §2), and writes F32
safetensors with the options in __metadata__.transseg_inflation. Every input tensor is kept.
Swin checkpoints (Microsoft, timm, Hugging Face, torchvision, Video Swin) become a \`swin\` encoder
(patch Conv2d -> Conv3d over the window; --img and --patch do not apply) or, with --target swin3d,
a Video Swin encoder (Video Swin's inflate_weights: kernel over --patch-depth, default 2, with
--strategy average by default; bias tables tiled over 2*Wd-1).

Options:
  -o, --output <file>     output .safetensors (written atomically)
  --strategy <id>         center (default, the paper's "centering"), average, repeat, gaussian, or a plugin's
  --window <n>            slices per window, odd (default 5)
  --img <HxW>             target image size, H = NIfTI x extent (default 512x512)
  --patch <n>             in-plane patch size (default 16)
  --patch-depth <n>       slices per patch along depth (default = window; --target swin3d: 2)
  --in-channels <n>       input channels of the target (default 1)
  --strategy-option k=v   a strategy option, repeatable (gaussian: sigma=1.25)
  --target <kind>         Swin checkpoints only: swin (default) or swin3d
  --attention-window <DxHxW>  --target swin3d: the attention window (default 8x7x7)
  --source <id>           source layout: auto (default), timm-vit, beit, dino, hf-vit, hf-beit, ms-swin,
                          timm-swin, hf-swin, torchvision-swin, video-swin, or a plugin's
  --plugin <module>       add strategies and source layouts from an ES module (path or package name;
                          repeatable; also TRANSSEG_PLUGINS=a,b), each checked by its conformance kit
  --json                  print the inflation report as JSON
  --quiet                 no progress`,
  options: {
    output: { type: "string", short: "o" },
    strategy: { type: "string" },
    window: { type: "string" },
    img: { type: "string" },
    patch: { type: "string" },
    "patch-depth": { type: "string" },
    "in-channels": { type: "string" },
    "strategy-option": { type: "string", multiple: true },
    source: { type: "string" },
    target: { type: "string" },
    "attention-window": { type: "string" },
    json: { type: "boolean" },
    quiet: { type: "boolean" },
    ...PLUGIN_OPTION,
  },
  async run(args, io) {
    const input = requiredPositional(args, 0, "ckpt-2d");
    const output = requiredOpt(args, "output");
    const window = intOpt(args, "window", 5);
    const options = {
      strategy: stringOpt(args, "strategy") ?? "center",
      strategyOptions: parseKeyValues(args, "strategy-option"),
      window,
      img: parseSize(stringOpt(args, "img") ?? "512x512"),
      patch: intOpt(args, "patch", 16),
      patchDepth: intOpt(args, "patch-depth", window),
      inChannels: intOpt(args, "in-channels", 1),
    };
    const quiet = flag(args, "quiet");
    const { added } = await commandPlugins(args, io, quiet);
    const checkpoint = await readCheckpoint(input);
    const { layout, tensors } = canonicalize(checkpoint.tensors, { source: stringOpt(args, "source") ?? "auto", adapters: { ...builtinAdapters, ...added.adapters } });
    const strategies = { ...builtinStrategies, ...added.strategies };
    const swin = SWIN_LAYOUTS.has(layout);
    if (!swin && (stringOpt(args, "target") !== undefined || stringOpt(args, "attention-window") !== undefined)) {
      throw new UsageError(`--target and --attention-window apply to Swin checkpoints; ${input} is ${layout}`);
    }
    let inflated: TensorMap;
    let report: { readonly options: { readonly strategy: string }; readonly changed: readonly TensorChange[]; readonly dropped: readonly TensorNote[]; readonly added: readonly TensorNote[] };
    let metadata: object;
    if (swin) {
      const target = stringOpt(args, "target") ?? "swin";
      if (target !== "swin" && target !== "swin3d") throw new UsageError(`--target must be swin or swin3d, got "${target}"`);
      const r = inflateSwinCheckpoint(tensors, {
        target,
        strategy: stringOpt(args, "strategy"),
        strategyOptions: options.strategyOptions,
        window,
        patchDepth: intOpt(args, "patch-depth", undefined),
        windowSize: attentionWindow(stringOpt(args, "attention-window")),
        inChannels: options.inChannels,
        strategies,
        source: input,
      });
      ({ tensors: inflated, report } = r);
      metadata = swinInflationMetadata(r.report.options);
    } else {
      const r = inflateCheckpoint(tensors, { ...options, strategies, source: input });
      ({ tensors: inflated, report } = r);
      metadata = inflationMetadata(r.report.options);
    }
    const bar = progress(io, quiet, `writing ${basename(output)}`);
    writeSafetensors(output, inflated, {
      metadata: { [INFLATION_METADATA_KEY]: JSON.stringify({ ...metadata, source_layout: layout }) },
      onTensor: (_name, i, total) => bar.update(i + 1, total),
    });
    bar.done();
    if (flag(args, "json")) {
      io.stdout(`${JSON.stringify({ input, output, layout, ...report })}\n`);
      return;
    }
    io.stdout(`${input} (${checkpoint.format}, ${layout}) -> ${output}\n`);
    for (const c of report.changed) io.stdout(`  ${c.name}: [${c.from.join(", ")}] -> [${c.to.join(", ")}]\n`);
    for (const d of report.dropped) io.stdout(`  ${d.name}: dropped (${d.note})\n`);
    for (const a of report.added) io.stdout(`  ${a.name}: added (${a.note})\n`);
    io.stdout(`  ${inflated.size} tensors written, strategy ${report.options.strategy}\n`);
  },
} as const satisfies Command;

/** `--attention-window 8x7x7` -> [8, 7, 7]. */
function attentionWindow(text: string | undefined): [number, number, number] | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)x(\d+)x(\d+)$/.exec(text);
  if (!m || [m[1], m[2], m[3]].some((v) => Number(v) < 1)) throw new UsageError(`--attention-window must look like 8x7x7 (DxHxW), got "${text}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}
