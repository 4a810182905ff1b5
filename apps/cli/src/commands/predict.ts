import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { createNiftiStream, readNifti, writeNifti, type NiftiStream } from "@transseg/datasets";
import { normalizeSegConfig, predictVolume, readSegConfig, type WindowRunner } from "@transseg/model";
import { readCheckpoint } from "@transseg/weights";
import { flag, intOpt, MAX_VOXELS_OPTION, maxVoxelsOpt, parseNumberList, requiredOpt, stringOpt } from "../args.js";
import type { Command, ParsedArgs } from "../command.js";
import { unknownChoice, UsageError } from "../errors.js";
import { loadOnnx, loadVit3d } from "../heavy.js";
import { progress, type CliIO } from "../io.js";
import { commandPlugins, PLUGIN_OPTION } from "../plugins/options.js";
import type { PluginAdditions } from "../plugins/load-plugins.js";

const NIFTI = /\.nii(\.gz)?$/;

/** Input → output file pairs: one file, or every NIfTI file of a folder into an output folder. */
export function predictionTargets(input: string, output: string, probabilities?: string): { input: string; output: string; probabilities?: string }[] {
  if (!existsSync(input)) throw new UsageError(`${input}: no such file or folder`);
  if (!statSync(input).isDirectory()) {
    if (!NIFTI.test(output)) throw new UsageError(`--output ${output} must end in .nii or .nii.gz for a single input file`);
    return [{ input, output, ...(probabilities ? { probabilities } : {}) }];
  }
  const files = readdirSync(input).filter((f) => NIFTI.test(f)).sort();
  if (files.length === 0) throw new UsageError(`${input}: no .nii or .nii.gz files`);
  mkdirSync(output, { recursive: true });
  if (probabilities) mkdirSync(probabilities, { recursive: true });
  return files.map((f) => ({ input: join(input, f), output: join(output, f), ...(probabilities ? { probabilities: join(probabilities, f) } : {}) }));
}

/** `--clip a,b`, `--clip none` (per-channel [0, max]), or the checkpoint's `preprocess.clip`. */
export function resolveClip(option: string | undefined, preprocess: unknown, checkpoint: string): [number, number] | null {
  if (option !== undefined) return option === "none" ? null : (parseNumberList(option, "clip", 2) as [number, number]);
  const clip = (preprocess as { clip?: unknown } | undefined)?.clip;
  if (clip === null) return null;
  if (Array.isArray(clip) && clip.length === 2 && clip.every((v) => typeof v === "number")) return [clip[0] as number, clip[1] as number];
  throw new UsageError(`${checkpoint}: no preprocess.clip in the checkpoint; pass --clip a,b (or --clip none for [0, max] per channel)`);
}

interface Engine {
  readonly runner: WindowRunner;
  readonly preprocess: unknown;
  close(): Promise<void>;
}

/** ONNX Runtime (the default where the decoder exports) or TensorFlow.js. */
async function openEngine(args: ParsedArgs, checkpointPath: string, io: CliIO, quiet: boolean, added: PluginAdditions): Promise<Engine> {
  const checkpoint = await readCheckpoint(checkpointPath);
  const config = normalizeSegConfig(readSegConfig(checkpoint, checkpointPath));
  const requested = stringOpt(args, "engine") ?? "auto";
  if (!["auto", "onnx", "tfjs"].includes(requested)) throw unknownChoice("engine", requested, ["auto", "onnx", "tfjs"]);
  // each engine loads only its own runtime: ONNX Runtime for onnx (and to see what auto can export), TensorFlow.js for tfjs
  const onnx = requested === "tfjs" ? undefined : await loadOnnx();
  const exportable = onnx !== undefined && Object.hasOwn(onnx.builtinOnnxDecoders, config.decoder.kind);
  const engine = requested === "auto" ? (exportable ? "onnx" : "tfjs") : requested;
  const threads = intOpt(args, "threads", undefined);
  const say = (m: string) => !quiet && io.stderr(`${m}\n`);
  if (engine === "onnx" && onnx) {
    const { createOnnxSession, exportOnnx, onnxDevices, onnxRunner } = onnx;
    const device = stringOpt(args, "device") ?? "cpu";
    if (!Object.hasOwn(onnxDevices, device)) throw unknownChoice("device", device, Object.keys(onnxDevices));
    const bytes = exportOnnx(checkpoint, { relativeBias: "gather", name: checkpointPath });
    const session = await createOnnxSession(bytes, { device: device as keyof typeof onnxDevices, ...(threads !== undefined ? { threads } : {}), ...(flag(args, "low-memory") ? { memoryArena: false } : {}) });
    const runner = onnxRunner(session, config);
    say(`engine: ${runner.engine}`);
    return { runner, preprocess: config.preprocess, close: () => session.release() };
  }
  if (stringOpt(args, "device") !== undefined) throw new UsageError("--device applies to --engine onnx; TensorFlow.js picks its device with --backend");
  if (flag(args, "low-memory")) throw new UsageError("--low-memory applies to --engine onnx (ONNX Runtime's memory arena)");
  if (requested === "auto") say(`engine: tfjs (decoder "${config.decoder.kind}" has no ONNX export)`);
  const { builtinDecoders, initBackend, loadSegmentationModel, tfjsRunner } = await loadVit3d();
  const backend = await initBackend(stringOpt(args, "backend") ?? "auto", { ...(threads !== undefined ? { threads } : {}), log: say });
  const model = await loadSegmentationModel(checkpoint, { name: checkpointPath, decoders: { ...builtinDecoders, ...added.decoders } });
  const runner = tfjsRunner(model, `tfjs (${backend.description})`);
  say(`engine: ${runner.engine}`);
  return { runner, preprocess: model.config.preprocess, close: async () => model.dispose() };
}

export const predictCommand = {
  name: "predict",
  summary: "Segment NIfTI volumes with a transseg-seg/1 checkpoint",
  usage: `Usage: transseg predict --checkpoint <seg.safetensors> --input <nii|dir> --output <nii|dir> [options]

For every slice the edge-clamped window of the model's size is clipped, scaled to [0, 1] and
resized to the model's img; logits are resized back (bilinear) before the argmax; the labels are
written as uint8 with the input's affine. 4D inputs hold the channels in the 4th axis.
Probabilities are written slice by slice as they are computed (never all in memory); every output
is written atomically (a full disk leaves no partial or temporary file, and the previous file).

Options:
  --checkpoint <file>     transseg-seg/1 safetensors
  --input <nii|dir>       a volume, or a folder of them
  --output <nii|dir>      a label volume, or a folder (same file names)
  --engine <name>         auto (default: onnx where the decoder exports, else tfjs), onnx, tfjs
  --device <cpu|cuda>     ONNX Runtime execution provider (default cpu)
  --low-memory            ONNX Runtime without its CPU memory arena: about a third less peak memory
                          for a few % more time (BEiT-base + UPerNet(768), 512×512: 3.7 vs 6.0 GiB)
  --backend <name>        TensorFlow.js backend: auto (default), tensorflow-gpu, tensorflow, wasm, cpu
  --threads <n>           threads (default: all cores)
  --batch <n>             windows per forward pass (default 4)
  --clip <a,b|none>       intensity window (default: the checkpoint's preprocess.clip)
  --probabilities <f|d>   also write per-class softmax probabilities (float32, classes in the 4th axis)
  --max-voxels <n>        refuse volumes whose header claims more voxels (default 2147483648 = 2^31)
  --plugin <module>       add decoders from an ES module (path or package name; repeatable; also
                          TRANSSEG_PLUGINS=a,b): a checkpoint whose head is a plugin's runs on tfjs
  --quiet                 no progress`,
  options: {
    checkpoint: { type: "string" },
    input: { type: "string" },
    output: { type: "string", short: "o" },
    engine: { type: "string" },
    device: { type: "string" }, "low-memory": { type: "boolean" },
    backend: { type: "string" },
    threads: { type: "string" },
    batch: { type: "string" },
    clip: { type: "string" },
    probabilities: { type: "string" },
    ...MAX_VOXELS_OPTION,
    quiet: { type: "boolean" },
    ...PLUGIN_OPTION,
  },
  async run(args, io) {
    const checkpoint = requiredOpt(args, "checkpoint");
    const targets = predictionTargets(requiredOpt(args, "input"), requiredOpt(args, "output"), stringOpt(args, "probabilities"));
    const quiet = flag(args, "quiet");
    const maxVoxels = maxVoxelsOpt(args);
    const { added } = await commandPlugins(args, io, quiet);
    const engine = await openEngine(args, checkpoint, io, quiet, added);
    try {
      const clip = resolveClip(stringOpt(args, "clip"), engine.preprocess, checkpoint);
      const runner = engine.runner;
      const batch = intOpt(args, "batch", 4);
      for (const t of targets) {
        const volume = await readNifti(t.input, { maxVoxels });
        const [X, Y, Z] = volume.shape as [number, number, number];
        const grid = { affine: volume.affine, spacing: volume.spacing.slice(0, 3) };
        // probabilities go to disk slice by slice: [X, Y, Z, classes], class k's slice z at voxel (k·Z + z)·X·Y
        const probs: NiftiStream | undefined = t.probabilities === undefined ? undefined : createNiftiStream(t.probabilities, { ...grid, shape: [X, Y, Z, runner.classes], datatype: "float32" });
        try {
          const bar = progress(io, quiet, basename(t.input));
          const start = Date.now();
          const plane = X * Y;
          const pred = await predictVolume(volume, runner, {
            clip,
            batch,
            name: t.input,
            ...(probs ? { onProbabilities: (z: number, planes: Float32Array) => { for (let k = 0; k < runner.classes; k++) probs.write((k * Z + z) * plane, planes.subarray(k * plane, (k + 1) * plane)); } } : {}),
            onProgress: (done, total) => bar.update(done, total, `${(done / Math.max((Date.now() - start) / 1000, 1e-3)).toFixed(2)} slices/s`),
          });
          bar.done();
          await writeNifti(t.output, { ...grid, data: pred.labels, shape: pred.shape });
          await probs?.close();
        } catch (e) {
          probs?.abort();
          throw e;
        }
        io.stdout(`${t.output}\n`);
      }
    } finally {
      await engine.close();
    }
  },
} as const satisfies Command;
