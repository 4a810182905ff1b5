import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { workerUrl } from "../worker-url.js";
import { pairCounter, runLane, stopLanes, type LaneOptions, type LaneReport } from "./eval-lane.js";
import type { EvalPair } from "./eval-pair.js";
import type { EvaluatedPair, ScoreTask } from "./eval-score.js";

export interface EvaluatePairsOptions {
  readonly maxVoxels: number;
  /** Classes to score; undefined = every label present in either volume except 0. */
  readonly classes?: readonly number[];
  /** Scoring threads, this one included (default: `autoThreads`); 1 = no worker. */
  readonly threads?: number;
  /** The first pair's read, already started by the caller (`readPair(pairs[0])`); this thread scores it. */
  readonly firstRead?: Promise<ScoreTask>;
}

/**
 * Voxels of prediction that pay for one worker thread. A worker costs ~0.2 s before its first
 * result (Node, modules, compiling the metrics), and on `.nii.gz` inputs one scoring thread
 * already keeps a second core busy with the inflation (libuv's pool). Measured on 2 cores with
 * pairs of 256×256×160 masks: 16 pairs (1.7·10⁸ voxels) took as long with a worker as without
 * (1.5 s), 64 pairs (6.7·10⁸) 1.3× less (2.7 s vs 3.4 s).
 */
export const VOXELS_PER_WORKER = 2 ** 28;

/** Scoring threads for `pairs` pairs of `voxels`-voxel volumes on `cores` cores (this thread + workers). */
export function autoThreads(pairs: number, voxels: number, cores: number): number {
  return 1 + Math.max(0, Math.min(cores - 1, pairs - 1, Math.floor((pairs * voxels) / VOXELS_PER_WORKER)));
}

/** An error from a worker, with its class name kept (exit codes are chosen by name). */
function remoteError(e: { name: string; message: string }): Error {
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/** A worker thread running a lane; resolves when its lane has finished. */
function workerLane(url: URL, pairs: readonly EvalPair[], options: LaneOptions, counter: Int32Array, report: (r: LaneReport) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData: { pairs, options, counter } });
    let done = false;
    worker.on("message", (m: { done?: true; index: number; result?: EvaluatedPair; error?: { name: string; message: string } }) => {
      if (m.done) {
        done = true;
        void worker.terminate().then(() => resolve());
      } else report(m.error ? { index: m.index, error: remoteError(m.error) } : { index: m.index, result: m.result! });
    });
    worker.on("error", reject);
    worker.on("exit", (code) => {
      if (!done) reject(new Error(`eval worker exited with code ${code}`));
    });
  });
}

/**
 * Scores every pair; results in the pairs' order and identical whatever the number of threads.
 * This thread and `threads - 1` worker threads each run a lane (eval-lane.ts): they take the next
 * pair from a shared counter, read it and score it, with no thread waiting for another to hand it
 * work. Without `threads`, the workers (`autoThreads`, by the voxels of the first pair) start once
 * this thread has read its first pair. On failure the error of the first failing pair (in the
 * pairs' order) is thrown.
 */
export async function evaluatePairs(pairs: readonly EvalPair[], options: EvaluatePairsOptions): Promise<EvaluatedPair[]> {
  const fixed = options.threads === undefined ? null : Math.max(1, Math.min(options.threads, pairs.length));
  const laneOptions: LaneOptions = { maxVoxels: options.maxVoxels, ...(options.classes ? { classes: options.classes } : {}) };
  const counter = pairCounter(options.firstRead ? 1 : 0);
  const results: EvaluatedPair[] = new Array(pairs.length);
  const errors = new Map<number, Error>();
  const report = (r: LaneReport) => {
    if ("error" in r) errors.set(r.index, r.error);
    else results[r.index] = r.result;
  };
  const workers: Promise<void>[] = [];
  const spawn = (threads: number) => {
    if (threads < 2) return;
    const url = workerUrl("eval-worker", import.meta.url);
    for (let i = 1; i < threads; i++) workers.push(workerLane(url, pairs, laneOptions, counter, report));
  };
  if (fixed !== null) spawn(fixed); // they boot while this thread reads and scores its first pair
  const onFirstRead = fixed === null ? (t: ScoreTask) => spawn(autoThreads(pairs.length, t.pred.length, availableParallelism())) : undefined;
  const here = runLane(pairs, laneOptions, counter, report, onFirstRead, options.firstRead ? { index: 0, read: options.firstRead } : undefined);
  await here.catch(() => {});
  const settled = await Promise.allSettled([here, ...workers]);
  const first = [...errors.keys()].sort((a, b) => a - b)[0];
  if (first !== undefined) throw errors.get(first)!;
  const crashed = settled.find((s) => s.status === "rejected");
  if (crashed) {
    stopLanes(counter, pairs.length);
    throw (crashed as PromiseRejectedResult).reason;
  }
  return results;
}
