import { renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { readCheckpoint, writeFailure } from "@transseg/weights";
import { flag, intOpt, requiredOpt, stringOpt } from "../args.js";
import type { Command } from "../command.js";
import { unknownChoice } from "../errors.js";
import { loadOnnx, loadVit3d } from "../heavy.js";
import { commandPlugins, PLUGIN_OPTION } from "../plugins/options.js";

/** A deterministic pseudo-random window in [0, 1). */
function randomWindow(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32;
  }
  return out;
}

export const exportCommand = {
  name: "export",
  summary: "Export a segmentation model to ONNX, verified against the TensorFlow.js forward",
  usage: `Usage: transseg export --checkpoint <seg.safetensors> --onnx <out.onnx> [--opset 17] [--relative-bias gather]

The whole model (encoder + decoder) as one ONNX graph (IR version 8) with the checkpoint's weights
and a dynamic batch axis: input "input" [batch, C, window, H, W], output "logits" [batch, classes,
H, W]. Before the file is written, it runs in onnxruntime-node on a random window and must match
the TensorFlow.js forward within 1e-4 of the logits' largest magnitude.

Options:
  --checkpoint <file>       transseg-seg/1 safetensors (upernet, setr-pup, convtrans or unetr head)
  --onnx <file>             output .onnx (written atomically)
  --opset <n>               ONNX opset, 13-17 (default 17)
  --relative-bias <mode>    BEiT position bias: gather (default; tables + one index, smaller file) or
                            precomputed (one [heads, N, N] constant per block)
  --backend <name>          TensorFlow.js backend of the check (default auto)
  --plugin <module>         add decoders from an ES module (path or package name; repeatable; also
                            TRANSSEG_PLUGINS=a,b); only heads with an ONNX export can be exported
  --quiet                   no messages on stderr`,
  options: {
    checkpoint: { type: "string" },
    onnx: { type: "string" },
    opset: { type: "string" },
    "relative-bias": { type: "string" },
    backend: { type: "string" },
    quiet: { type: "boolean" },
    ...PLUGIN_OPTION,
  },
  async run(args, io) {
    const path = requiredOpt(args, "checkpoint");
    const out = requiredOpt(args, "onnx");
    const quiet = flag(args, "quiet");
    const relativeBias = stringOpt(args, "relative-bias") ?? "gather";
    if (relativeBias !== "gather" && relativeBias !== "precomputed") throw unknownChoice("relative-bias mode", relativeBias, ["gather", "precomputed"]);
    const { added } = await commandPlugins(args, io, quiet);
    const { createOnnxSession, exportOnnx } = await loadOnnx();
    const checkpoint = await readCheckpoint(path);
    const started = Date.now();
    const bytes = exportOnnx(checkpoint, { opset: intOpt(args, "opset", 17, 13), relativeBias, name: path });
    if (!quiet) io.stderr(`exported ${(bytes.length / 2 ** 20).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s; checking against TensorFlow.js …\n`);

    // The TensorFlow.js cross-check lives here, where both engines are installed.
    const { builtinDecoders, initBackend, loadSegmentationModel, tfjsRunner } = await loadVit3d();
    await initBackend(stringOpt(args, "backend") ?? "auto");
    const model = await loadSegmentationModel(checkpoint, { name: path, decoders: { ...builtinDecoders, ...added.decoders } });
    const session = await createOnnxSession(bytes);
    try {
      const runner = tfjsRunner(model);
      const shape = [1, runner.inChannels, runner.window, runner.img[0], runner.img[1]] as const;
      const window = randomWindow(shape.reduce((a, b) => a * b, 1), 1234);
      const expected = await runner.run(window, shape);
      const { logits } = await session.run(window, shape);
      let diff = 0;
      let scale = 0;
      for (let i = 0; i < expected.length; i++) {
        diff = Math.max(diff, Math.abs(logits[i]! - expected[i]!));
        scale = Math.max(scale, Math.abs(expected[i]!));
      }
      const relative = diff / (scale || 1);
      if (!(relative <= 1e-4)) throw new Error(`${path}: the ONNX graph disagrees with the TensorFlow.js model (max error ${relative.toExponential(2)} of the largest logit, limit 1e-4); nothing written`);
      const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
      try {
        writeFileSync(tmp, bytes);
        renameSync(tmp, out);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw writeFailure(out, e);
      }
      io.stdout(`${out}: ${(bytes.length / 2 ** 20).toFixed(1)} MB, matches TensorFlow.js within ${relative.toExponential(2)} of the largest logit\n`);
    } finally {
      model.dispose();
      await session.release();
    }
  },
} as const satisfies Command;
