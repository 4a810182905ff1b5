import { builtinProfiles } from "@transseg/datasets";
import { builtinStrategies } from "@transseg/inflate";
import { builtinAdapters, readCheckpoint } from "@transseg/weights";
import type { TrainOptions, TrainResult } from "@transseg/vit3d";
import { flag, intOpt, numberOpt, parseNumberList, parseSize, requiredOpt, stringOpt } from "../args.js";
import type { Command, ParsedArgs } from "../command.js";
import { ENCODER_PRESET_IDS, loadVit3d } from "../heavy.js";
import { EXIT_INTERRUPTED } from "../errors.js";
import type { CliIO } from "../io.js";
import { commandPlugins, PLUGIN_OPTION } from "../plugins/options.js";
import { threadsFromEnv, trainThreadChooser } from "./train-threads.js";

/** `--img` precedence: the flag, then the init checkpoint's inflation metadata, then the task profile (undefined). */
async function resolveImg(args: ParsedArgs, init: string | undefined): Promise<[number, number] | undefined> {
  const text = stringOpt(args, "img");
  if (text) return parseSize(text);
  if (!init || init === "random") return undefined;
  const raw = (await readCheckpoint(init)).metadata.transseg_inflation;
  if (!raw) return undefined;
  const img = (JSON.parse(raw) as { img?: unknown }).img;
  return Array.isArray(img) && img.length === 2 ? [Number(img[0]), Number(img[1])] : undefined;
}

/** Builds TrainOptions from the command line (only what was given: the trainer fills the paper's defaults). */
export async function trainOptionsFromArgs(args: ParsedArgs): Promise<TrainOptions> {
  const init = requiredOpt(args, "init");
  const preset = stringOpt(args, "encoder");
  const img = await resolveImg(args, init);
  const variant = stringOpt(args, "variant");
  const layerIdxs = stringOpt(args, "layer-idxs");
  const patch = intOpt(args, "patch", undefined);
  const heads = intOpt(args, "heads", undefined);
  const encoder = { ...(patch === undefined ? {} : { patch }), ...(heads === undefined ? {} : { heads }) };
  const opt = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value });
  const num = (name: string) => (stringOpt(args, name) === undefined ? undefined : numberOpt(args, name, 0));
  return {
    data: requiredOpt(args, "data"),
    out: requiredOpt(args, "output"),
    ...opt("task", stringOpt(args, "task")),
    ...(init === "random" ? { init: "random" as const, preset: preset ?? "beit-base" } : { init: "checkpoint" as const, checkpoint: init, ...opt("preset", preset) }),
    ...opt("variant", variant as TrainOptions["variant"]),
    ...opt("img", img),
    ...opt("window", intOpt(args, "window", undefined)),
    ...opt("decoder", stringOpt(args, "decoder")),
    ...opt("patchDepth", intOpt(args, "patch-depth", undefined)),
    ...opt("decoderChannels", intOpt(args, "decoder-channels", undefined)),
    ...opt("layerIdxs", layerIdxs === undefined ? undefined : parseNumberList(layerIdxs, "layer-idxs")),
    ...opt("dropout", num("dropout")),
    ...opt("featureSize", intOpt(args, "feature-size", undefined)),
    ...opt("encoder", Object.keys(encoder).length ? encoder : undefined),
    ...opt("inflation", stringOpt(args, "strategy")),
    ...opt("steps", intOpt(args, "steps", undefined)),
    batch: intOpt(args, "batch", 2),
    ...opt("accumulate", intOpt(args, "accumulate", undefined)),
    ...opt("lr", num("lr")),
    ...opt("warmup", intOpt(args, "warmup", undefined, 0)),
    ...opt("loss", stringOpt(args, "loss")),
    ...opt("foregroundProbability", num("foreground-probability")),
    ...(flag(args, "no-augment") ? { augment: false } : {}),
    ...opt("seed", intOpt(args, "seed", undefined, 0)),
    ...opt("split", stringOpt(args, "split") as TrainOptions["split"]),
    ...opt("valEvery", intOpt(args, "val-every", undefined, 0)),
    ...opt("saveEvery", intOpt(args, "save-every", undefined)),
    ...opt("logEvery", intOpt(args, "log-every", undefined)),
    ...opt("workers", intOpt(args, "workers", undefined, 0)),
  };
}

function progressLine(io: CliIO, quiet: boolean) {
  let last = 0;
  return (p: { step: number; total: number; loss: number; lr: number; stepsPerSecond: number; etaSeconds: number }) => {
    if (quiet) return;
    const now = Date.now();
    if (p.step < p.total && now - last < (io.interactive ? 200 : 10_000)) return;
    last = now;
    const eta = Number.isFinite(p.etaSeconds) ? `${Math.floor(p.etaSeconds / 60)}m${String(Math.round(p.etaSeconds % 60)).padStart(2, "0")}s` : "?";
    const line = `step ${p.step}/${p.total}  loss ${p.loss.toFixed(4)}  lr ${p.lr.toExponential(2)}  ${p.stepsPerSecond.toFixed(2)} steps/s  ETA ${eta}`;
    io.stderr(io.interactive ? `\r${line}\x1b[K${p.step >= p.total ? "\n" : ""}` : `${line}\n`);
  };
}

/** Signals that stop training after the current step, with the state saved (exit code 75). */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGUSR1"] as const satisfies readonly NodeJS.Signals[];

export const trainCommand = {
  name: "train",
  summary: "Fine-tune an (inflated) ViT segmentation model on a Decathlon-layout dataset",
  usage: `Usage: transseg train --data <msd dir> (--init <ckpt> | --init random --encoder <preset>) -o <rundir> [options]
       transseg train --resume <rundir>

The paper's variants: --init <inflated or 2D checkpoint> ("Ours"; a 2D checkpoint in any format
is inflated here), --variant 2d ("w/o D": centre slice, patch depth 1), --init random ("w/o T&D").
AdamW (no decay on biases, norms, tokens, position tables, layer scale), linear warm-up then
decay to 0, gradient clipping 1.0, DiceFocal loss. The run folder holds run.json (every option),
metrics.jsonl, best.safetensors, last.safetensors and the training state; --resume continues
exactly after a crash. Ctrl-C, SIGTERM and SIGUSR1 (a Slurm time limit or preemption) save the
state after the current step and exit with code 75; a second signal while saving is ignored.
One process writes a run folder at a time: run.lock names it (host, pid, start, heartbeat), and
a second train or --resume on the folder is refused; a lock whose process is gone (or, from
another host, whose heartbeat is 5 minutes old) is taken over.

Options:
  --data <dir>                 dataset folder: Decathlon layout (dataset.json), or a raw ACDC / BTCV download
  --task <profile>             task profile (default: the raw layout's task, else dataset.json's name)
  --split <seeded|paper>       seeded (default): TransSeg's 80/15/5 % over a seeded shuffle; paper: the
                               paper's own cases where the data hold the paper's list (BTCV, ACDC, MSD)
  --init <ckpt|random>         encoder initialisation
  --encoder <preset>           architecture for --init random (default beit-base), or the heads of a ViT
                               checkpoint: ${ENCODER_PRESET_IDS.join(", ")};
                               Swin encoders train with upernet-swint; a swin3d preset with a 2D Swin
                               checkpoint inflates it to Video Swin (--strategy average is Video Swin's)
  --heads <n>                  attention heads of a ViT checkpoint (BEiT's are read from its tables)
  --variant <3d|2d>            default 3d
  --strategy <id>              inflation strategy for a 2D checkpoint (default center)
  --img <HxW>                  model input (default: the flag, the checkpoint's inflation, the profile)
  --window <n>                 slices per window (default 5)
  --patch <n>                  patch size for --init random (default 16)
  --patch-depth <n>            slices per patch, a divisor of the window (default: the window, one depth
                               token); below it the encoder has window / n depth tokens (3d variant)
  --decoder <id>               head: upernet (default, the paper's), setr-pup, convtrans, unetr (needs
                               depth tokens: --patch-depth below the window, e.g. --window 9 --patch-depth 3)
  --decoder-channels <n>       upernet: channels (default: the encoder's dim)
  --dropout <p>                upernet: dropout before the classifier (default 0.1)
  --layer-idxs <list>          upernet (4 blocks; default TransSeg's for the depth) and unetr (log2(patch)
                               blocks; default evenly spaced, ending at the last): encoder blocks read
  --feature-size <n>           unetr: feature size (default 16)
  -o, --output <dir>           run folder
  --steps <n>                  optimizer steps (default: the profile's paper steps)
  --batch <n>                  windows per step (default 2)
  --accumulate <n>             micro-batches per step (default 1)
  --lr <x>                     peak learning rate (default 3e-5)
  --warmup <n>                 warm-up steps (default 20)
  --loss <id>                  dice-focal (default), dice-ce, ce
  --foreground-probability <p> draw windows containing foreground with probability p
  --no-augment                 no TransSeg augmentation
  --seed <n>                   model and data-order seed (default 0)
  --val-every <n>              validate every n steps (default 500)
  --save-every <n>             checkpoint and state every n steps (default 500)
  --log-every <n>              metrics.jsonl line every n steps (default 10)
  --workers <n>                data loader threads
  --backend <name>             auto (default), tensorflow-gpu, tensorflow, wasm, cpu
  --threads <n>                wasm threads (default: TRANSSEG_WASM_THREADS, else chosen for the model:
                               a few steps timed on all cores and on 1 thread, once per model and
                               machine, cached in ~/.cache/transseg/wasm-threads.json)
  --resume <dir>               continue a run from its folder (options come from run.json)
  --plugin <module>            add strategies, source layouts, task profiles, losses and decoders from an
                               ES module (path or package name; repeatable; also TRANSSEG_PLUGINS=a,b)
  --quiet                      no progress line`,
  options: {
    data: { type: "string" }, task: { type: "string" }, init: { type: "string" }, encoder: { type: "string" },
    variant: { type: "string" }, strategy: { type: "string" }, img: { type: "string" }, window: { type: "string" },
    patch: { type: "string" }, heads: { type: "string" }, "decoder-channels": { type: "string" }, "layer-idxs": { type: "string" },
    decoder: { type: "string" }, "patch-depth": { type: "string" }, dropout: { type: "string" }, "feature-size": { type: "string" },
    output: { type: "string", short: "o" }, steps: { type: "string" }, batch: { type: "string" },
    accumulate: { type: "string" }, lr: { type: "string" }, warmup: { type: "string" }, loss: { type: "string" },
    "foreground-probability": { type: "string" }, "no-augment": { type: "boolean" }, seed: { type: "string" },
    "val-every": { type: "string" }, "save-every": { type: "string" }, "log-every": { type: "string" },
    workers: { type: "string" }, backend: { type: "string" }, threads: { type: "string" }, resume: { type: "string" },
    split: { type: "string" }, quiet: { type: "boolean" }, ...PLUGIN_OPTION,
  },
  async run(args, io) {
    const quiet = flag(args, "quiet");
    const resumeDir = stringOpt(args, "resume");
    const { added } = await commandPlugins(args, io, quiet);
    const options = resumeDir === undefined ? await trainOptionsFromArgs(args) : undefined;
    const threads = intOpt(args, "threads", undefined) ?? threadsFromEnv();
    const vit3d = await loadVit3d();
    const { builtinDecoders, builtinLosses, describeSplit, initBackend, resume, train } = vit3d;
    const registries = {
      profiles: { ...builtinProfiles, ...added.profiles },
      decoders: { ...builtinDecoders, ...added.decoders },
      strategies: { ...builtinStrategies, ...added.strategies },
      adapters: { ...builtinAdapters, ...added.adapters },
    };
    const chooser = threads === undefined ? trainThreadChooser(vit3d, resumeDir !== undefined ? { resume: resumeDir } : options!, registries, io, quiet) : null;
    const backend = await initBackend(stringOpt(args, "backend") ?? "auto", threads !== undefined ? { threads } : { chooseThreads: chooser!.chooseThreads });
    chooser?.rethrow();
    if (!quiet) io.stderr(`backend: ${backend.description}\n`);
    const controller = new AbortController();
    // Ctrl-C, and what clusters send before a time limit or preemption: save after this step, then exit
    const onSignal = (signal: NodeJS.Signals) => {
      if (!quiet || controller.signal.aborted) io.stderr(controller.signal.aborted ? `\n${signal}: still saving the training state …\n` : `\n${signal}: saving the training state after this step …\n`);
      controller.abort();
    };
    for (const s of STOP_SIGNALS) process.on(s, onSignal);
    try {
      const callbacks = {
        signal: controller.signal,
        lock: { command: "transseg train" },
        ...registries,
        losses: { ...builtinLosses, ...added.losses },
        onProgress: progressLine(io, quiet),
        onValidation: (r: { step: number; val_dice: number }) => !quiet && io.stderr(`${io.interactive ? "\n" : ""}validation at step ${r.step}: mean foreground Dice ${r.val_dice.toFixed(4)}\n`),
      };
      const result: TrainResult = resumeDir !== undefined ? await resume(resumeDir, callbacks) : await train(options!, callbacks);
      const best = result.bestDice === null ? "no validation" : `best validation Dice ${result.bestDice.toFixed(4)} at step ${result.bestStep}`;
      io.stdout(`${result.runDir}: ${result.stopped} at step ${result.step} in ${result.seconds.toFixed(1)} s; ${best}\n`);
      if (!quiet) io.stderr(`split: ${describeSplit(result.split)}\n`);
      if (result.stopped === "aborted") {
        if (!quiet) io.stderr(`interrupted: the state of step ${result.step} is saved; continue with: transseg train --resume ${result.runDir}\n`);
        return EXIT_INTERRUPTED;
      }
      return 0;
    } finally {
      for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
    }
  },
} as const satisfies Command;
