import { DatasetError } from "../errors.js";
import { splitCases, SPLIT_SEED, type SplitOptions } from "../split.js";
import { unknownIdMessage } from "../suggest.js";
import { builtinPaperSplits } from "./registry.js";
import type { PaperSplitRegistry, SplitCase, TaskSplit } from "./types.js";

export interface PaperSplitOptions {
  /** Named in errors: where the cases come from (e.g. the dataset.json). Default: the task id. */
  readonly file?: string;
  readonly registry?: PaperSplitRegistry;
}

export interface TaskSplitOptions extends SplitOptions {
  readonly registry?: PaperSplitRegistry;
}

/** True when the paper's own split of `taskId` is known (BTCV, ACDC, Task01 … Task10). */
export function paperSplitAvailable(taskId: string, registry: PaperSplitRegistry = builtinPaperSplits): boolean {
  return Object.hasOwn(registry, taskId);
}

/**
 * The paper's split of a task's training list (`cases` in dataset.json order, each with its
 * `id`). Throws a `DatasetError` naming `options.file` (default the task id) when the task has
 * no known split (with the nearest id) or when `cases` are not the paper's list.
 */
export function paperSplit<T extends SplitCase>(taskId: string, cases: readonly T[], options: PaperSplitOptions = {}): TaskSplit<T> {
  const registry: PaperSplitRegistry = options.registry ?? builtinPaperSplits;
  const file = options.file ?? taskId;
  if (!paperSplitAvailable(taskId, registry)) throw new DatasetError(file, unknownIdMessage("paper split", taskId, Object.keys(registry)));
  const result = registry[taskId]!.split(cases);
  if (typeof result === "string") throw new DatasetError(file, `not the paper's ${taskId} cases: ${result}`);
  return result;
}

/**
 * The paper's split when it is known and `cases` are the paper's list; otherwise `splitCases`
 * (seeded shuffle, TransSeg's proportions) with `paper: false` and the reason. Never throws for
 * a mismatch, so synthetic or partial datasets still split.
 */
export function taskSplit<T extends SplitCase>(taskId: string, cases: readonly T[], options: TaskSplitOptions = {}): TaskSplit<T> {
  const registry: PaperSplitRegistry = options.registry ?? builtinPaperSplits;
  let fallbackReason = `no paper split is known for "${taskId}"`;
  if (paperSplitAvailable(taskId, registry)) {
    const result = registry[taskId]!.split(cases);
    if (typeof result !== "string") return result;
    fallbackReason = result;
  }
  const seed = options.seed ?? SPLIT_SEED;
  return { taskId, paper: false, source: `splitCases (seed ${seed})`, valIsTest: false, fallbackReason, ...splitCases(cases, { seed }) };
}
