/** Worker thread of `transseg eval`: a scoring lane (eval-lane.ts) beside the main thread's. */
import { parentPort, workerData } from "node:worker_threads";
import type { EvalPair } from "./eval-pair.js";
import { runLane, type LaneOptions } from "./eval-lane.js";

const { pairs, options, counter } = workerData as { pairs: EvalPair[]; options: LaneOptions; counter: Int32Array };

await runLane(pairs, options, counter, (r) => {
  if ("error" in r) parentPort!.postMessage({ index: r.index, error: { name: r.error.name, message: r.error.message } });
  else parentPort!.postMessage(r);
});
parentPort!.postMessage({ done: true });
