/** Worker thread of `transseg eval`: reads and scores the pairs it is sent, in order, reading the next while scoring. */
import { parentPort, workerData } from "node:worker_threads";
import { readPair, scorePair, type EvalPair, type EvalPairOptions } from "./eval-pair.js";

const options = workerData as EvalPairOptions;
let chain: Promise<void> = Promise.resolve();

parentPort!.on("message", ({ id, pair }: { id: number; pair: EvalPair }) => {
  // start reading at once (file IO and gunzip run off this thread), score after the pairs before it
  const read = readPair(pair, options.maxVoxels);
  read.catch(() => {}); // reported below, in order
  chain = chain.then(async () => {
    try {
      parentPort!.postMessage({ id, result: scorePair(pair, await read, options) });
    } catch (e) {
      const err = e as Error;
      parentPort!.postMessage({ id, error: { name: err.name, message: err.message } });
    }
  });
});
