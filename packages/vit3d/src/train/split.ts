import { splitCases, taskSplit, type SplitCase, type TaskSplit } from "@transseg/datasets";

/** How a run splits its dataset's training list into train / validation / test (`TrainOptions.split`). */
export const TRAIN_SPLITS = Object.freeze({
  seeded: "TransSeg's proportions (80 / 15 / 5 %) over a seeded shuffle of the list (splitCases with splitSeed)",
  paper: "the paper's own cases where the dataset holds the paper's list (taskSplit: BTCV, ACDC, the ten MSD tasks), else the seeded split",
});
export type TrainSplit = keyof typeof TRAIN_SPLITS;

/** What a run's split was, in numbers (for results and messages). */
export interface SplitSummary {
  /** True when train, validation and test are the paper's cases. */
  readonly paper: boolean;
  /** The paper's script or case list, or `splitCases (seed n)`. */
  readonly source: string;
  /** True when the paper reports on its validation cases (ACDC, BTCV): validation and test are the same cases. */
  readonly valIsTest: boolean;
  readonly train: number;
  readonly val: number;
  readonly test: number;
  /** Why a `paper` split fell back to the seeded one. */
  readonly fallbackReason?: string;
}

/**
 * The split of a run: `seeded` = `splitCases(cases, { seed })`; `paper` = `taskSplit(task, cases,
 * { seed })` (the paper's cases when `cases` are the paper's list in dataset.json order, else the
 * seeded split with the reason). Trainer and evaluation call this one function, so they agree.
 */
export function runSplit<T extends SplitCase>(cases: readonly T[], o: { readonly split?: TrainSplit | undefined; readonly task: string; readonly splitSeed: number }): TaskSplit<T> {
  if ((o.split ?? "seeded") === "paper") return taskSplit(o.task, cases, { seed: o.splitSeed });
  return { taskId: o.task, paper: false, source: `splitCases (seed ${o.splitSeed})`, valIsTest: false, ...splitCases(cases, { seed: o.splitSeed }) };
}

export function splitSummary(s: TaskSplit<unknown>): SplitSummary {
  return {
    paper: s.paper,
    source: s.source,
    valIsTest: s.valIsTest,
    train: s.train.length,
    val: s.val.length,
    test: s.test.length,
    ...(s.fallbackReason === undefined ? {} : { fallbackReason: s.fallbackReason }),
  };
}

/** "160 train / 40 validation / 40 test, paper split (validation = test, as the paper)" or "…, seeded split (reason)". */
export function describeSplit(s: SplitSummary): string {
  const counts = `${s.train} train / ${s.val} validation / ${s.test} test`;
  if (s.paper) return `${counts}, paper split${s.valIsTest ? " (validation = test, as the paper)" : ""}`;
  return `${counts}, seeded split${s.fallbackReason ? ` (not the paper's: ${s.fallbackReason})` : ""}`;
}
