/** Worker thread of `transseg eval`: scores the pairs it is sent (read by the main thread). */
import { parentPort } from "node:worker_threads";
import { scoreVolumes, type ScoreTask } from "./eval-score.js";

parentPort!.on("message", ({ id, task }: { id: number; task: ScoreTask }) => {
  try {
    parentPort!.postMessage({ id, result: scoreVolumes(task) });
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({ id, error: { name: err.name, message: err.message } });
  }
});
