import { createRng, shuffle } from "./random/rng.js";

export interface SplitOptions {
  /** Shuffle seed (TransSeg uses 1234). */
  readonly seed?: number;
}

export interface Split<T> {
  readonly train: readonly T[];
  readonly val: readonly T[];
  readonly test: readonly T[];
}

/** The seed TransSeg shuffles its training lists with. */
export const SPLIT_SEED = 1234;

/**
 * TransSeg's split rule (SPEC §4): shuffle with `seed` (default 1234), then with n cases
 * train = the first floor(0.8 n), validation = the next floor(0.95 n) − floor(0.8 n),
 * test = the rest. When n ≥ 3 and validation or test would be empty, one case moves into it
 * from the end of train.
 *
 * The shuffle is mulberry32 + Fisher–Yates (see `createRng`), not Python's `random.shuffle`:
 * the partition sizes match TransSeg's, the members do not. For the paper's own cases of its
 * tasks use `paperSplit` / `taskSplit` (`paper-splits/`).
 */
export function splitCases<T>(cases: readonly T[], options: SplitOptions = {}): Split<T> {
  const shuffled = shuffle(cases, createRng(options.seed ?? SPLIT_SEED));
  const n = shuffled.length;
  let nTrain = Math.floor(0.8 * n);
  let nVal = Math.floor(0.95 * n) - nTrain;
  let nTest = n - nTrain - nVal;
  if (n >= 3) {
    if (nVal === 0) {
      nVal++;
      nTrain--;
    }
    if (nTest === 0) {
      nTest++;
      nTrain--;
    }
  }
  return {
    train: shuffled.slice(0, nTrain),
    val: shuffled.slice(nTrain, nTrain + nVal),
    test: shuffled.slice(nTrain + nVal),
  };
}
