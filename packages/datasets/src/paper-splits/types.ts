import type { Split } from "../split.js";

/** What a paper split needs of a case: its id (the image file name without `.nii.gz`). */
export interface SplitCase {
  readonly id: string;
}

/** A task's train / validation / test cases, and whether they are the paper's own. */
export interface TaskSplit<T> extends Split<T> {
  readonly taskId: string;
  /** True when train, val and test hold exactly the cases the paper used. */
  readonly paper: boolean;
  /** Where the split comes from: the paper's script or case list, or `splitCases`. */
  readonly source: string;
  /**
   * True when the paper selected its checkpoint on the cases it reports (ACDC, BTCV): `val` and
   * `test` then hold the same cases.
   */
  readonly valIsTest: boolean;
  /** Why the paper's split was not used (only when `paper` is false). */
  readonly fallbackReason?: string;
}

/** The paper's split of one task: one object per task, registered in `builtinPaperSplits`. */
export interface PaperSplitter {
  readonly taskId: string;
  /** Where the split comes from (repository, file, commit). */
  readonly source: string;
  /** How the paper split, in one line. */
  readonly description: string;
  /**
   * The paper's split of `cases` (a dataset's training list in dataset.json order). Returns the
   * reason as a string when `cases` are not the paper's list (missing, extra or a different count).
   */
  split<T extends SplitCase>(cases: readonly T[]): TaskSplit<T> | string;
}

/** Paper splits by task id. Pass your own map (e.g. `{ ...builtinPaperSplits, Mine: mine }`) to extend. */
export type PaperSplitRegistry = Readonly<Record<string, PaperSplitter>>;
