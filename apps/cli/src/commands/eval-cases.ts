import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { workerUrl } from "../worker-url.js";
import { readPair, scorePair, type EvalPair, type EvalPairOptions, type EvaluatedPair } from "./eval-pair.js";

export interface EvaluatePairsOptions extends EvalPairOptions {
  /** Worker threads (default: every core, at most one per pair); 1 = in this thread. */
  readonly threads?: number;
}

/** Pairs sent ahead to a worker: it reads the next while it scores the current one. */
const AHEAD = 2;

/** An error from a worker, with its class name kept (exit codes are chosen by name). */
function remoteError(e: { name: string; message: string }): Error {
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/**
 * Scores every pair (results in the pairs' order, identical whatever the number of threads):
 * in this thread for one thread or one pair (reading the next pair while scoring the current),
 * else on worker threads, each fed pairs as it finishes them.
 */
export async function evaluatePairs(pairs: readonly EvalPair[], options: EvaluatePairsOptions): Promise<EvaluatedPair[]> {
  const threads = Math.min(options.threads ?? availableParallelism(), pairs.length);
  const pairOptions: EvalPairOptions = { maxVoxels: options.maxVoxels, ...(options.classes ? { classes: options.classes } : {}) };
  if (threads <= 1) {
    const out: EvaluatedPair[] = [];
    let next = pairs.length ? readPair(pairs[0]!, options.maxVoxels) : undefined;
    for (let i = 0; i < pairs.length; i++) {
      const volumes = await next!;
      next = i + 1 < pairs.length ? readPair(pairs[i + 1]!, options.maxVoxels) : undefined;
      next?.catch(() => {}); // surfaces when awaited
      out.push(scorePair(pairs[i]!, volumes, pairOptions));
    }
    return out;
  }
  const results: EvaluatedPair[] = new Array(pairs.length);
  const url = workerUrl("eval-worker", import.meta.url);
  const workers = Array.from({ length: threads }, () => new Worker(url, { workerData: pairOptions }));
  try {
    await new Promise<void>((resolve, reject) => {
      let sent = 0;
      let done = 0;
      const send = (w: Worker) => {
        if (sent < pairs.length) w.postMessage({ id: sent, pair: pairs[sent++] });
      };
      for (const w of workers) {
        w.on("message", (m: { id: number; result?: EvaluatedPair; error?: { name: string; message: string } }) => {
          if (m.error) return reject(remoteError(m.error));
          results[m.id] = m.result!;
          if (++done === pairs.length) resolve();
          else send(w);
        });
        w.on("error", reject);
        w.on("exit", (code) => done < pairs.length && reject(new Error(`eval worker exited with code ${code}`)));
      }
      // round-robin the first pairs so that every worker starts at once, then AHEAD in flight each
      for (let k = 0; k < AHEAD; k++) for (const w of workers) send(w);
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
