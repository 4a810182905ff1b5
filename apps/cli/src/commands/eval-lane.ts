/**
 * One scoring lane of `transseg eval`: the main thread and each worker thread run one. Lanes take
 * pairs from a shared counter (`Atomics.add` on a `SharedArrayBuffer`), so that no thread waits
 * for another to hand it work: each reads its own pairs (file reads and gzip inflation on libuv's
 * thread pool, the next pair while it scores the current one) and scores them.
 */
import { readPair, type EvalPair } from "./eval-pair.js";
import { scoreVolumes, type EvaluatedPair, type ScoreTask } from "./eval-score.js";

export interface LaneOptions {
  readonly maxVoxels: number;
  readonly classes?: readonly number[];
}

/** What a lane reports for each pair it took. */
export type LaneReport = { readonly index: number; readonly result: EvaluatedPair } | { readonly index: number; readonly error: Error };

/** The shared counter of the next pair to take (one Int32 in shared memory), from `next`. */
export function pairCounter(next = 0): Int32Array {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  counter[0] = next;
  return counter;
}

/** A pair this lane owns before it takes any from the counter, its reading already started. */
export interface StartedPair {
  readonly index: number;
  readonly read: Promise<ScoreTask>;
}

/** The next pair's index, or -1 when every pair is taken (or the lanes were stopped). */
function take(counter: Int32Array, total: number): number {
  const i = Atomics.add(counter, 0, 1);
  return i < total ? i : -1;
}

/** Stops every lane from taking more pairs (after an error: the pairs taken still finish). */
export function stopLanes(counter: Int32Array, total: number): void {
  Atomics.store(counter, 0, total);
}

/**
 * Takes pairs until none is left, reporting each pair's metrics or error (`onFirstRead` sees
 * the lane's first pair once it is read, before it is scored). With `started`, the lane scores
 * that pair first (taken by the caller, e.g. read while the scoring code loaded; the counter
 * must already be past it), then takes from the counter. After an error it
 * stops every lane: the pairs already taken (every pair before the failing one, since pairs are
 * taken in order) still report, so the first failing pair is always reported.
 */
export async function runLane(
  pairs: readonly EvalPair[],
  options: LaneOptions,
  counter: Int32Array,
  report: (r: LaneReport) => void,
  onFirstRead?: (task: ScoreTask) => void,
  started?: StartedPair,
): Promise<void> {
  let first = true;
  const start = (i: number) => {
    if (i < 0) return null;
    const read = readPair(pairs[i]!, options);
    read.catch(() => {}); // reported in its turn below
    return read;
  };
  let index = started ? started.index : take(counter, pairs.length);
  let read = started ? started.read : start(index);
  while (read !== null) {
    let next = -1;
    let nextRead = null;
    try {
      const task = await read;
      if (first) onFirstRead?.(task);
      first = false;
      next = take(counter, pairs.length);
      nextRead = start(next); // inflates while this thread scores
      report({ index, result: scoreVolumes(task) });
    } catch (e) {
      stopLanes(counter, pairs.length);
      report({ index, error: e as Error });
    }
    index = next;
    read = nextRead;
  }
}
