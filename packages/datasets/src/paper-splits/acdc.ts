import { ACDC_PAPER_HELD_OUT, ACDC_PAPER_TRAINING } from "./acdc-cases.js";
import { fixedListSplit } from "./fixed-list.js";
import type { PaperSplitter } from "./types.js";

const SOURCE = "github.com/yuhui-zh15/TransSeg src/data/acdc/ACDC_dataset.json (commit 0d343f1)";

/** ACDC as TransSeg split it: fixed lists of 160 training and 40 held-out frames. */
export const acdcPaperSplit = {
  taskId: "ACDC",
  source: SOURCE,
  description: "fixed lists: 160 training frames (80 patients), 40 held-out frames (20 patients) used as validation and reported",
  split: (cases) =>
    fixedListSplit(cases, {
      taskId: "ACDC",
      source: SOURCE,
      train: ACDC_PAPER_TRAINING,
      heldOut: ACDC_PAPER_HELD_OUT,
      // ACDC's own file names: `patient001_frame01`.
      key: (id) => (/^patient\d{3}_frame\d{2}$/.test(id) ? id : undefined),
    }),
} as const satisfies PaperSplitter;
