import { getProfile, openDataset, type Dataset, type ProfileRegistry, type TaskProfile } from "@transseg/datasets";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { loadSegmentationModel } from "../load.js";
import type { SegConfigInput } from "@transseg/model";
import type { SegmentationModel } from "../model.js";
import { openBatchStream } from "./batches.js";
import { initModel, keepSpec, type InitRegistries } from "./init-model.js";
import { resolveLoss } from "./losses/resolve-loss.js";
import type { LossRegistry } from "./losses/types.js";
import { linearWarmupDecay } from "./optim/schedule.js";
import { resolveTrainOptions, type ResolvedTrainOptions, type TrainOptions } from "./options.js";
import { acquireRunLock, describeHolder, LOCK_FILE, type RunLock, type RunLockOptions } from "./run-lock.js";
import { appendMetrics, BEST_FILE, LAST_FILE, readRunRecord, readTrainState, truncateMetrics, writeRunRecord, writeTrainState, type MetricsRecord, type TrainStateInfo } from "./run-files.js";
import { runSplit, splitSummary, type SplitSummary } from "./split.js";
import { stepSeed, TrainStepper, type MicroBatch } from "./step.js";
import { validate, type ValidationResult } from "./validate.js";

/** Live progress after each step (the CLI draws it). */
export interface TrainProgress {
  readonly step: number;
  readonly total: number;
  readonly loss: number;
  readonly lr: number;
  readonly gradNorm: number;
  /** Steps per second over this session (since start or resume). */
  readonly stepsPerSecond: number;
  readonly etaSeconds: number;
}

/** Callbacks, and the registries ids are resolved in (`strategies` and `adapters` read the init checkpoint). */
export interface TrainCallbacks extends InitRegistries {
  /** Each metrics.jsonl training line as it is written. */
  readonly onLog?: (record: Extract<MetricsRecord, { loss: number }>) => void;
  /** Each validation (also written to metrics.jsonl). */
  readonly onValidation?: (record: Extract<MetricsRecord, { val_dice: number }>, result: ValidationResult) => void;
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Aborting saves the state and last.safetensors, then `train` resolves with `stopped: "aborted"`. */
  readonly signal?: AbortSignal;
  /** Losses to resolve `options.loss` in (default `builtinLosses`). */
  readonly losses?: LossRegistry;
  /** Task profiles to resolve `options.task` / dataset.json's name in (default `builtinProfiles`). */
  readonly profiles?: ProfileRegistry;
  /** The run folder's lock (`run.lock`, one writer per folder): heartbeat and staleness timings, holder name. */
  readonly lock?: RunLockOptions;
}

export interface TrainResult {
  readonly runDir: string;
  /** Optimizer steps completed. */
  readonly step: number;
  readonly stopped: "completed" | "aborted";
  readonly bestDice: number | null;
  readonly bestStep: number | null;
  readonly seconds: number;
  /** The split trained and validated on (`options.split`). */
  readonly split: SplitSummary;
}

interface Session {
  readonly o: ResolvedTrainOptions;
  readonly profile: TaskProfile;
  readonly dataset: Dataset;
  readonly model: SegmentationModel;
  readonly state: TrainStateInfo | null;
  readonly optimizerState: Parameters<TrainStepper["optimizer"]["setState"]>[0] | null;
}

async function openData(o: { data: string; task?: string }, profiles?: ProfileRegistry): Promise<{ dataset: Dataset; profile: TaskProfile }> {
  const { dataset, taskId } = await openDataset(o.data); // a Decathlon folder, or a raw ACDC / BTCV download
  const profile = getProfile(o.task ?? taskId ?? dataset.name, profiles);
  if (dataset.labels.length !== profile.classes) throw new Error(`${join(dataset.root, "dataset.json")}: ${dataset.labels.length} labels but task ${profile.id} has ${profile.classes} classes`);
  return { dataset, profile };
}

/**
 * The model config that `train(options)` — or, given `{ resume: runDir }`, `resume(runDir)` —
 * trains, computed without TensorFlow.js (dataset and checkpoint read, a 2D checkpoint inflated):
 * what a backend's thread count is chosen by before the backend starts (`chooseWasmThreads`).
 * The encoder weights it computed are kept for the `train` / `resume` that follows in this process
 * with the same options and registries (`keepSpec`), which then does not read the checkpoint again.
 */
export async function trainModelConfig(what: TrainOptions | { readonly resume: string }, callbacks: InitRegistries & Pick<TrainCallbacks, "profiles" | "decoders"> = {}): Promise<SegConfigInput> {
  if ("resume" in what) {
    const o: ResolvedTrainOptions = { ...readRunRecord(what.resume).options, out: what.resume };
    const { dataset, profile } = await openData(o, callbacks.profiles);
    return (await keepSpec(o, profile, dataset.labels, callbacks)).config;
  }
  const { dataset, profile } = await openData(what, callbacks.profiles);
  return (await keepSpec(resolveTrainOptions(what, profile, callbacks.decoders), profile, dataset.labels, callbacks)).config;
}

/**
 * Fine-tunes a segmentation model on a Decathlon-layout dataset (SPEC §3–4): seeded TransSeg
 * split (train on train, validate on val), streamed augmented windows, AdamW with linear
 * warm-up/decay and clipping, validation by whole-volume Dice, `best.safetensors` /
 * `last.safetensors` (`transseg-seg/1`), `metrics.jsonl`, `run.json` and an atomic training
 * state for `resume`. The TensorFlow.js backend is the caller's (`initBackend`).
 */
export async function train(options: TrainOptions, callbacks: TrainCallbacks = {}): Promise<TrainResult> {
  const { dataset, profile } = await openData(options, callbacks.profiles);
  const o = resolveTrainOptions(options, profile, callbacks.decoders);
  const lock = acquireRunLock(o.out, callbacks.lock);
  try {
    if (readdirSync(o.out).some((f) => f !== LOCK_FILE)) throw new Error(`${o.out}: the run folder is not empty (resume it with resume(), or choose another folder)`);
    resolveLoss(o.loss, callbacks.losses);
    const { model } = await initModel(o, profile, dataset.labels, callbacks);
    writeRunRecord(o.out, o);
    return await run({ o, profile, dataset, model, state: null, optimizerState: null }, callbacks, lock);
  } finally {
    await lock.release();
  }
}

/**
 * Continues the run in `runDir` from its last saved training state (after a crash, kill or
 * abort) with the options recorded in `run.json`, and ends at the requested step count. Batches,
 * optimizer moments and weights continue exactly; metrics.jsonl lines after the state are dropped.
 */
export async function resume(runDir: string, callbacks: TrainCallbacks = {}): Promise<TrainResult> {
  const record = readRunRecord(runDir);
  const o: ResolvedTrainOptions = { ...record.options, out: runDir };
  const lock = acquireRunLock(runDir, callbacks.lock);
  try {
    const { dataset, profile } = await openData(o, callbacks.profiles);
    const saved = readTrainState(runDir);
    if (!saved) {
      // crashed before the first save: start over in the same folder
      const { model } = await initModel(o, profile, dataset.labels, callbacks);
      truncateMetrics(runDir, -1);
      return await run({ o, profile, dataset, model, state: null, optimizerState: null }, callbacks, lock);
    }
    const model = await loadSegmentationModel(saved.checkpoint, { name: join(runDir, "state.safetensors"), ...(callbacks.decoders ? { decoders: callbacks.decoders } : {}) });
    truncateMetrics(runDir, saved.info.step);
    return await run({ o, profile, dataset, model, state: saved.info, optimizerState: saved.optimizer }, callbacks, lock);
  } finally {
    await lock.release();
  }
}

/** Stops a run whose folder another process took over: it must not write there any more. */
function checkLock(dir: string, lock: RunLock): void {
  const to = lock.lostTo;
  if (to === null) return;
  throw new Error(`${dir}: the run folder's lock was taken over ${to === "removed" ? "(run.lock was removed)" : `by ${describeHolder(to)}`}; stopping without writing`);
}

async function run(s: Session, cb: TrainCallbacks, lock: RunLock): Promise<TrainResult> {
  const { o, profile, dataset, model } = s;
  const split = runSplit(dataset.training, o);
  if (split.train.length === 0) throw new Error(`${dataset.root}: no training cases after the split (${dataset.training.length} cases)`);
  const valCases = split.val.slice(0, o.valCases ?? split.val.length);
  const stepper = new TrainStepper(model, { loss: resolveLoss(o.loss, cb.losses), clipNorm: o.clipNorm, weightDecay: o.weightDecay });
  if (s.optimizerState) stepper.optimizer.setState(s.optimizerState, join(o.out, "state.safetensors"));
  let step = s.state?.step ?? 0;
  let bestDice = s.state?.bestDice ?? null;
  let bestStep = s.state?.bestStep ?? null;
  const secondsBefore = s.state?.seconds ?? 0;
  const t0 = performance.now();
  const seconds = () => secondsBefore + (performance.now() - t0) / 1000;
  const round = (x: number, d: number) => Number(x.toFixed(d));
  const stream = openBatchStream({
    cases: split.train,
    profile,
    window: o.window,
    img: o.img,
    batch: o.batch,
    seed: o.seed,
    foregroundProbability: o.foregroundProbability,
    augment: o.augment,
    workers: o.workers,
    start: step * o.accumulate,
  });
  const save = () => {
    checkLock(o.out, lock);
    const info: TrainStateInfo = { step, batches: step * o.accumulate, loaderSeed: o.seed, seconds: seconds(), bestDice, bestStep };
    model.saveCheckpoint(join(o.out, LAST_FILE));
    writeTrainState(o.out, model, stepper.optimizer.getState(), info);
  };
  const runValidation = async () => {
    if (valCases.length === 0) return;
    const r = await validate(model, valCases, profile, o.valBatch);
    const rec = { step, val_dice: round(r.dice, 6), val_dice_per_class: Object.fromEntries(Object.entries(r.perClass).map(([k, v]) => [k, v === null ? null : round(v, 6)])), seconds: round(seconds(), 3) };
    checkLock(o.out, lock);
    appendMetrics(o.out, rec);
    if (Number.isFinite(r.dice) && (bestDice === null || r.dice > bestDice)) {
      bestDice = r.dice;
      bestStep = step;
      model.saveCheckpoint(join(o.out, BEST_FILE));
    }
    cb.onValidation?.(rec, r);
  };
  const sessionStart = step;
  let stopped: TrainResult["stopped"] = "completed";
  try {
    while (step < o.steps) {
      // let timers and signal handlers run (an in-thread loader resolves with microtasks only): Ctrl-C / SIGTERM must reach `signal`
      await new Promise((resolve) => setImmediate(resolve));
      checkLock(o.out, lock);
      if (cb.signal?.aborted) {
        stopped = "aborted";
        break;
      }
      const micro: MicroBatch[] = [];
      for (let m = 0; m < o.accumulate; m++) micro.push(await stream.next());
      const lr = linearWarmupDecay(step, { lr: o.lr, warmup: o.warmup, total: o.steps });
      const r = stepper.step(micro, lr, stepSeed(o.seed, step));
      if (!Number.isFinite(r.loss)) throw new Error(`training diverged at step ${step + 1}: loss ${r.loss}`);
      step++;
      const elapsed = (performance.now() - t0) / 1000;
      const rate = (step - sessionStart) / Math.max(elapsed, 1e-9);
      cb.onProgress?.({ step, total: o.steps, loss: r.loss, lr, gradNorm: r.gradNorm, stepsPerSecond: rate, etaSeconds: (o.steps - step) / rate });
      if (step % o.logEvery === 0 || step === o.steps) {
        const rec = { step, loss: round(r.loss, 6), lr: Number(lr.toPrecision(8)), seconds: round(seconds(), 3) };
        appendMetrics(o.out, rec);
        cb.onLog?.(rec);
      }
      if ((o.valEvery > 0 && step % o.valEvery === 0) || step === o.steps) await runValidation();
      if (step % o.saveEvery === 0 || step === o.steps) save();
    }
    if (stopped === "aborted") save();
  } finally {
    await stream.close();
    stepper.dispose();
    model.dispose();
  }
  return { runDir: o.out, step, stopped, bestDice, bestStep, seconds: seconds(), split: splitSummary(split) };
}
