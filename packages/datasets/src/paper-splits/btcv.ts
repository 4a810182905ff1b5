import { fixedListSplit } from "./fixed-list.js";
import type { PaperSplitter } from "./types.js";

/**
 * BTCV's 30 labelled training scans (Synapse `RawData/Training`: img0001–img0010, img0021–img0040)
 * and the 12 TransSeg holds out for validation, from `val_slc` and `file_idxs` in
 * `src/data/bcv/split_data_to_slices_nii.py` of github.com/yuhui-zh15/TransSeg (commit 0d343f1);
 * the split UNETR and TransUNet use.
 */
export const BTCV_CASE_NUMBERS = [...Array.from({ length: 10 }, (_, i) => i + 1), ...Array.from({ length: 20 }, (_, i) => i + 21)] as const;
export const BTCV_PAPER_HELD_OUT = [1, 2, 3, 4, 8, 22, 25, 29, 32, 35, 36, 38] as const;

const heldOut = new Set<number>(BTCV_PAPER_HELD_OUT);
const SOURCE = "github.com/yuhui-zh15/TransSeg src/data/bcv/split_data_to_slices_nii.py (commit 0d343f1)";

/** BTCV as TransSeg split it: 18 training scans, 12 held out (validation, reported). */
export const btcvPaperSplit = {
  taskId: "BTCV",
  source: SOURCE,
  description: "fixed lists: 18 training scans, 12 held-out scans (1, 2, 3, 4, 8, 22, 25, 29, 32, 35, 36, 38) used as validation and reported",
  split: (cases) =>
    fixedListSplit(cases, {
      taskId: "BTCV",
      source: SOURCE,
      train: BTCV_CASE_NUMBERS.filter((n) => !heldOut.has(n)).map(String),
      heldOut: BTCV_PAPER_HELD_OUT.map(String),
      // The scan number at the end of the id: img0001, label0001, BTCV_01, case_1.
      key: (id) => {
        const digits = /(\d+)$/.exec(id)?.[1];
        return digits === undefined ? undefined : String(Number(digits));
      },
      show: (key) => `scan ${key}`,
    }),
} as const satisfies PaperSplitter;
