import { basename } from "node:path";
import { builtinStrategies, INFLATION_METADATA_KEY, inflateCheckpoint, inflationMetadata } from "@transseg/inflate";
import { builtinAdapters, canonicalize, readCheckpoint, writeSafetensors } from "@transseg/weights";
import { flag, intOpt, parseKeyValues, parseSize, requiredOpt, requiredPositional, stringOpt } from "../args.js";
import type { Command } from "../command.js";
import { progress } from "../io.js";
import { commandPlugins, PLUGIN_OPTION } from "../plugins/options.js";

export const inflateCommand = {
  name: "inflate",
  summary: "Inflate a 2D ViT checkpoint to a 3D (window) encoder",
  usage: `Usage: transseg inflate <ckpt-2d> -o <out.safetensors> [options]

Reads a 2D checkpoint in any supported format and source layout, maps it to canonical timm/BEiT
names, inflates the patch embedding to 3D and resizes position tables (SPEC §2), and writes F32
safetensors with the options in __metadata__.transseg_inflation. Every input tensor is kept.

Options:
  -o, --output <file>     output .safetensors (written atomically)
  --strategy <id>         center (default, the paper's "centering"), average, repeat, gaussian, or a plugin's
  --window <n>            slices per window, odd (default 5)
  --img <HxW>             target image size, H = NIfTI x extent (default 512x512)
  --patch <n>             in-plane patch size (default 16)
  --patch-depth <n>       slices per patch along depth (default = window)
  --in-channels <n>       input channels of the target (default 1)
  --strategy-option k=v   a strategy option, repeatable (gaussian: sigma=1.25)
  --source <id>           source layout: auto (default), timm-vit, beit, dino, hf-vit, hf-beit, or a plugin's
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
    const { tensors: inflated, report } = inflateCheckpoint(tensors, { ...options, strategies: { ...builtinStrategies, ...added.strategies }, source: input });
    const bar = progress(io, quiet, `writing ${basename(output)}`);
    writeSafetensors(output, inflated, {
      metadata: { [INFLATION_METADATA_KEY]: JSON.stringify({ ...inflationMetadata(report.options), source_layout: layout }) },
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
