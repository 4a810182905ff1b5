import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { workerUrl } from "../worker-url.js";
import { readPair, transferable, type EvalPair } from "./eval-pair.js";
import { scoreVolumes, type EvaluatedPair, type ScoreTask } from "./eval-score.js";

export interface EvaluatePairsOptions {
  readonly maxVoxels: number;
  /** Classes to score; undefined = every label present in either volume except 0. */
  readonly classes?: readonly number[];
  /** Worker threads (default: every core, at most one per pair); 1 = in this thread. */
  readonly threads?: number;
}

/** An error from a worker, with its class name kept (exit codes are chosen by name). */
function remoteError(e: { name: string; message: string }): Error {
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/** One worker thread that scores one task at a time. */
function scorer(url: URL): { score(id: number, task: ScoreTask): Promise<EvaluatedPair>; close(): Promise<number> } {
  const worker = new Worker(url);
  let pending: { resolve: (r: EvaluatedPair) => void; reject: (e: Error) => void } | null = null;
  const fail = (e: Error) => {
    pending?.reject(e);
    pending = null;
  };
  worker.on("message", (m: { result?: EvaluatedPair; error?: { name: string; message: string } }) => {
    const p = pending;
    pending = null;
    if (m.error) p?.reject(remoteError(m.error));
    else p?.resolve(m.result!);
  });
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`eval worker exited with code ${code}`)));
  return {
    score(id, t) {
      const { task, transfer } = transferable(t);
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage({ id, task }, transfer);
      });
    },
    close: () => worker.terminate(),
  };
}

/**
 * Scores every pair; results in the pairs' order and identical whatever the number of threads.
 * This thread reads the pairs in order, a few ahead (file reads and gzip inflation run on
 * libuv's thread pool, overlapping the scoring); each worker thread (one per core) takes the next
 * pair read as soon as it is free. With one thread or one pair the scoring runs here, still
 * reading the next pair while scoring the current one.
 */
export async function evaluatePairs(pairs: readonly EvalPair[], options: EvaluatePairsOptions): Promise<EvaluatedPair[]> {
  const threads = Math.min(options.threads ?? availableParallelism(), pairs.length);
  const url = threads > 1 ? workerUrl("eval-worker", import.meta.url) : null;
  const workers = url ? Array.from({ length: threads }, () => scorer(url)) : []; // they load while the first pairs are read
  const readOptions = { maxVoxels: options.maxVoxels, ...(options.classes ? { classes: options.classes } : {}) };
  const reads: Promise<ScoreTask>[] = [];
  const readAhead = (upTo: number) => {
    while (reads.length < Math.min(upTo, pairs.length)) {
      const read = readPair(pairs[reads.length]!, readOptions);
      read.catch(() => {}); // reported when its turn comes
      reads.push(read);
    }
  };
  const results: EvaluatedPair[] = new Array(pairs.length);
  let next = 0;
  try {
    if (workers.length === 0) {
      for (let i = 0; i < pairs.length; i++) {
        readAhead(i + 2);
        results[i] = scoreVolumes(await reads[i]!);
      }
      return results;
    }
    readAhead(threads + 1);
    await Promise.all(
      workers.map(async (w) => {
        for (let i = next++; i < pairs.length; i = next++) {
          readAhead(i + threads + 1);
          results[i] = await w.score(i, await reads[i]!);
        }
      }),
    );
    return results;
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
}
