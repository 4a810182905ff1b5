import { builtinAdapters, readCheckpoint, summarize } from "@transseg/weights";
import { flag, requiredPositional } from "../args.js";
import type { Command } from "../command.js";
import { commandPlugins, PLUGIN_OPTION } from "../plugins/options.js";

export const inspectCommand = {
  name: "inspect",
  summary: "Show a checkpoint's format, layout, tensor and parameter counts",
  usage: `Usage: transseg inspect <checkpoint> [--json] [--plugin <module>]

Reads safetensors (also sharded *.safetensors.index.json), PyTorch .pth/.pt zip files, NumPy
.npz/.npy; the format is chosen by content. Prints the format, the detected source layout
(timm-vit, beit, dino, hf-vit, hf-beit, ms-swin, timm-swin, hf-swin, torchvision-swin, video-swin,
transseg-seg), for Swin layouts the architecture read from the shapes (kind, embed, depths, heads,
window, patch), the parameter count and every tensor.

Options:
  --json              print one JSON object: {"format","layout","parameters","tensors":[{"name","dtype","shape"}]}
                      (+ "encoder" or "encoder_problem" for a Swin layout)
  --plugin <module>   also detect the source layouts of an ES module (path or package name; repeatable;
                      also TRANSSEG_PLUGINS=a,b)`,
  options: { json: { type: "boolean" }, ...PLUGIN_OPTION },
  async run(args, io) {
    const path = requiredPositional(args, 0, "checkpoint");
    const { added } = await commandPlugins(args, io, flag(args, "json"));
    const summary = summarize(await readCheckpoint(path), { adapters: { ...builtinAdapters, ...added.adapters } });
    if (flag(args, "json")) {
      io.stdout(`${JSON.stringify(summary)}\n`);
      return;
    }
    const e = summary.encoder;
    const encoder = e
      ? `  encoder     ${e.kind}: embed ${e.embed_dim}, depths [${e.depths.join(", ")}], heads [${e.heads.join(", ")}], window ${e.window_size.join("x")}, patch ${e.patch_depth ? `${e.patch_depth}x` : ""}${e.patch}, ${e.in_channels} channel(s)\n`
      : summary.encoder_problem ? `  encoder     ${summary.encoder_problem}\n` : "";
    io.stdout(`${path}\n  format      ${summary.format}\n  layout      ${summary.layout ?? "unknown"}\n${encoder}  tensors     ${summary.tensors.length}\n  parameters  ${summary.parameters.toLocaleString("en-US")}\n\n`);
    const width = Math.max(4, ...summary.tensors.map((t) => t.name.length));
    for (const t of summary.tensors) io.stdout(`  ${t.name.padEnd(width)}  ${t.dtype.padEnd(4)}  [${t.shape.join(", ")}]\n`);
  },
} as const satisfies Command;
