import { pythonRandom } from "../random/python-random.js";
import { listSome } from "./fixed-list.js";
import type { PaperSplitter, SplitCase, TaskSplit } from "./types.js";

/**
 * The number of entries in `training` of each task's dataset.json ("numTraining") in the Medical
 * Segmentation Decathlon release (medicaldecathlon.com; Antonelli et al., Nature Communications
 * 13:4128, 2022): the list lengths TransSeg shuffled.
 */
export const MSD_TRAINING_LENGTHS = {
  Task01_BrainTumour: 484,
  Task02_Heart: 20,
  Task03_Liver: 131,
  Task04_Hippocampus: 260,
  Task05_Prostate: 32,
  Task06_Lung: 63,
  Task07_Pancreas: 281,
  Task08_HepaticVessel: 303,
  Task09_Spleen: 41,
  Task10_Colon: 126,
} as const satisfies Record<string, number>;

export type MsdTaskId = keyof typeof MSD_TRAINING_LENGTHS;

/** The seed of TransSeg's MSD script (`random.seed(1234)`, once, before the first task). */
export const MSD_PAPER_SEED = 1234;

const SOURCE = "github.com/yuhui-zh15/TransSeg src/data/msd/split_data_to_slices_nii.py (commit 0d343f1)";

/**
 * The permutation TransSeg's `random.shuffle(dataset["training"])` applied to `taskId`'s list:
 * `order[k]` is the dataset.json index of the k-th case after the shuffle. One generator seeded
 * 1234 shuffles the ten lists in sorted task order, so each task's draws follow from the lengths
 * of the tasks before it, which are fixed facts: no other dataset needs to be present.
 */
export function msdPaperOrder(taskId: MsdTaskId): number[] {
  const rng = pythonRandom(MSD_PAPER_SEED);
  for (const id of (Object.keys(MSD_TRAINING_LENGTHS) as MsdTaskId[]).sort()) {
    const order = Array.from({ length: MSD_TRAINING_LENGTHS[id] }, (_, i) => i);
    rng.shuffle(order);
    if (id === taskId) return order;
  }
  throw new Error(`msdPaperOrder: "${taskId}" is not an MSD task`);
}

function msdSplit<T extends SplitCase>(taskId: MsdTaskId, cases: readonly T[]): TaskSplit<T> | string {
  const n = MSD_TRAINING_LENGTHS[taskId];
  if (cases.length !== n) return `the paper shuffled the ${n} training cases of the MSD release in dataset.json order; this list has ${cases.length}`;
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (const c of cases) {
    if (seen.has(c.id)) repeated.push(c.id);
    seen.add(c.id);
  }
  if (repeated.length > 0) return `case ids repeat (${listSome(repeated)})`;
  const shuffled = msdPaperOrder(taskId).map((i) => cases[i]!);
  // Python's int(0.8 * n): the same double product, truncated.
  const nTrain = Math.trunc(0.8 * n);
  const nTrainVal = Math.trunc(0.95 * n);
  return {
    taskId,
    paper: true,
    source: SOURCE,
    valIsTest: false,
    train: shuffled.slice(0, nTrain),
    val: shuffled.slice(nTrain, nTrainVal),
    test: shuffled.slice(nTrainVal),
  };
}

function msdPaperSplit(taskId: MsdTaskId): PaperSplitter {
  return {
    taskId,
    source: SOURCE,
    description: `random.seed(1234), then random.shuffle of each MSD training list in sorted task order (this one: ${MSD_TRAINING_LENGTHS[taskId]} cases); train = first int(0.8 n), validation up to int(0.95 n), test the rest`,
    split: (cases) => msdSplit(taskId, cases),
  };
}

/** The ten MSD tasks' paper splits, keyed by task id. */
export const msdPaperSplits = Object.freeze(
  Object.fromEntries((Object.keys(MSD_TRAINING_LENGTHS) as MsdTaskId[]).map((id) => [id, msdPaperSplit(id)])),
) as Readonly<Record<MsdTaskId, PaperSplitter>>;
