import { acdcPaperSplit } from "./acdc.js";
import { btcvPaperSplit } from "./btcv.js";
import { msdPaperSplits } from "./msd.js";
import type { PaperSplitRegistry } from "./types.js";

/** The paper's splits of its 12 tasks (ids as in `builtinProfiles`). */
export const builtinPaperSplits = Object.freeze({
  [btcvPaperSplit.taskId]: btcvPaperSplit,
  [acdcPaperSplit.taskId]: acdcPaperSplit,
  ...msdPaperSplits,
}) satisfies PaperSplitRegistry;
