import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { workerUrl } from "../worker-url.js";
import { pairCounter, runLane, stopLanes, type LaneOptions, type LaneReport } from "./eval-lane.js";
import type { EvalPair } from "./eval-pair.js";
import type { EvaluatedPair } from "./eval-score.js";

export interface EvaluatePairsOptions {
  readonly maxVoxels: number;
  /** Classes to score; undefined = every label present in either volume except 0. */
  readonly classes?: readonly number[];
  /** Scoring threads, this one included (default: every core, at most one per pair); 1 = no worker. */
  readonly threads?: number;
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
 * work. On failure the error of the first failing pair (in the pairs' order) is thrown.
 */
export async function evaluatePairs(pairs: readonly EvalPair[], options: EvaluatePairsOptions): Promise<EvaluatedPair[]> {
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), pairs.length));
  const laneOptions: LaneOptions = { maxVoxels: options.maxVoxels, ...(options.classes ? { classes: options.classes } : {}) };
  const counter = pairCounter();
  const results: EvaluatedPair[] = new Array(pairs.length);
  const errors = new Map<number, Error>();
  const report = (r: LaneReport) => {
    if ("error" in r) errors.set(r.index, r.error);
    else results[r.index] = r.result;
  };
  const url = threads > 1 ? workerUrl("eval-worker", import.meta.url) : null;
  // the workers start first: they boot while this thread reads and scores its first pair
  const workers = url ? Array.from({ length: threads - 1 }, () => workerLane(url, pairs, laneOptions, counter, report)) : [];
  const lanes = [runLane(pairs, laneOptions, counter, report), ...workers];
  const settled = await Promise.allSettled(lanes);
  const first = [...errors.keys()].sort((a, b) => a - b)[0];
  if (first !== undefined) throw errors.get(first)!;
  const crashed = settled.find((s) => s.status === "rejected");
  if (crashed) {
    stopLanes(counter, pairs.length);
    throw (crashed as PromiseRejectedResult).reason;
  }
  return results;
}
