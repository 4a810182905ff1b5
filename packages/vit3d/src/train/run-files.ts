import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { readSafetensors, writeFailure, writeSafetensors, type Checkpoint, type TensorEntry } from "@transseg/weights";
import type { SegmentationModel } from "../model.js";
import type { AdamWState } from "./optim/adamw.js";
import type { ResolvedTrainOptions } from "./options.js";

export const RUN_FORMAT = "transseg-run/1";
export const RUN_FILE = "run.json";
export const METRICS_FILE = "metrics.jsonl";
export const STATE_FILE = "state.safetensors";
export const LAST_FILE = "last.safetensors";
export const BEST_FILE = "best.safetensors";

/** Writes a text file atomically (temporary file in the same folder, then rename). */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeFailure(path, e);
  }
}

export interface RunRecord {
  readonly format: typeof RUN_FORMAT;
  readonly created: string;
  readonly options: ResolvedTrainOptions;
}

export function writeRunRecord(dir: string, options: ResolvedTrainOptions): void {
  mkdirSync(dir, { recursive: true });
  const record: RunRecord = { format: RUN_FORMAT, created: new Date().toISOString(), options };
  writeFileAtomic(join(dir, RUN_FILE), JSON.stringify(record, null, 1) + "\n");
}

export function readRunRecord(dir: string): RunRecord {
  const file = join(dir, RUN_FILE);
  if (!existsSync(file)) throw new Error(`${file}: not found (not a training run folder)`);
  let r: RunRecord;
  try {
    r = JSON.parse(readFileSync(file, "utf8")) as RunRecord;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (r?.format !== RUN_FORMAT) throw new Error(`${file}: format is ${JSON.stringify(r?.format)}, expected "${RUN_FORMAT}"`);
  return r;
}

/** A line of metrics.jsonl. */
export type MetricsRecord =
  | { readonly step: number; readonly loss: number; readonly lr: number; readonly seconds: number }
  | { readonly step: number; readonly val_dice: number; readonly val_dice_per_class: Record<string, number | null>; readonly seconds: number };

export function appendMetrics(dir: string, record: MetricsRecord): void {
  const file = join(dir, METRICS_FILE);
  try {
    appendFileSync(file, JSON.stringify(record) + "\n");
  } catch (e) {
    // a line cut by a full disk is dropped by truncateMetrics on resume
    throw writeFailure(file, e);
  }
}

/** On resume: drops the lines of steps after the saved state (they will be run again). */
export function truncateMetrics(dir: string, step: number): void {
  const file = join(dir, METRICS_FILE);
  if (!existsSync(file)) return;
  const keep = readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => {
      if (!l.trim()) return false;
      try {
        return (JSON.parse(l) as { step: number }).step <= step;
      } catch {
        return false; // a line cut by a crash
      }
    });
  writeFileAtomic(file, keep.map((l) => l + "\n").join(""));
}

/** What the training-state file records besides tensors. */
export interface TrainStateInfo {
  /** Optimizer steps completed. */
  readonly step: number;
  /** Loader batches consumed (= step · accumulate): the next batch index. */
  readonly batches: number;
  /** Seed of the window stream (sample i is a pure function of (seed, i)). */
  readonly loaderSeed: number;
  /** Wall seconds of the run up to this state. */
  readonly seconds: number;
  /** Best mean foreground validation Dice so far (null before the first validation) and its step. */
  readonly bestDice: number | null;
  readonly bestStep: number | null;
}

/**
 * Writes the training state atomically as one safetensors file: the model (`model.<name>`,
 * PyTorch layouts, with its `transseg` config), the AdamW moments (`exp_avg.<name>`,
 * `exp_avg_sq.<name>`) and `__metadata__.train_state` (step, loader position, …).
 */
export function writeTrainState(dir: string, model: SegmentationModel, opt: AdamWState, info: TrainStateInfo): void {
  const tensors = new Map<string, TensorEntry>();
  for (const [name, e] of model.toTensorMap()) tensors.set(`model.${name}`, e);
  for (const [name, e] of opt.tensors) tensors.set(name, e);
  writeSafetensors(join(dir, STATE_FILE), tensors, { metadata: { ...model.metadata(), train_state: JSON.stringify({ ...info, optimizerStep: opt.step }) } });
}

export interface LoadedTrainState {
  readonly info: TrainStateInfo;
  readonly optimizer: AdamWState;
  /** The model as a `transseg-seg/1` checkpoint (for `loadSegmentationModel`). */
  readonly checkpoint: Checkpoint;
}

export function readTrainState(dir: string): LoadedTrainState | null {
  const file = join(dir, STATE_FILE);
  if (!existsSync(file)) return null;
  const ckpt = readSafetensors(file);
  const raw = ckpt.metadata.train_state;
  if (raw === undefined) throw new Error(`${file}: no train_state metadata (not a training-state file)`);
  const info = JSON.parse(raw) as TrainStateInfo & { optimizerStep: number };
  const model = new Map<string, TensorEntry>();
  const moments = new Map<string, TensorEntry>();
  for (const [name, e] of ckpt.tensors) {
    if (name.startsWith("model.")) model.set(name.slice("model.".length), e);
    else moments.set(name, e);
  }
  return {
    info,
    optimizer: { step: info.optimizerStep, tensors: moments },
    checkpoint: { format: ckpt.format, tensors: model, metadata: { transseg: ckpt.metadata.transseg ?? "" } },
  };
}
