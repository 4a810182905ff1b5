/**
 * Worker entry of the window loader: decodes (gunzip + NIfTI), preprocesses, caches and
 * augments off the main thread. Messages in: `{ id, caseIndex, seed }`; out:
 * `{ id, image, label, z }` (buffers transferred) or `{ id, error }`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { CaseCache, loadCase } from "./case-store.js";
import { augmentationOf, makeSample } from "./sample.js";
import type { SampleConfig } from "./types.js";

const config = workerData as SampleConfig;
const augment = augmentationOf(config);
const cache = new CaseCache(config.cacheBytes, (i) => loadCase(config.cases[i]!, config.clip, config.channels));

parentPort!.on("message", (msg: { id: number; caseIndex: number; seed: number }) => {
  cache.get(msg.caseIndex).then(
    (c) => {
      const r = makeSample(c, msg.seed, config, augment);
      parentPort!.postMessage({ id: msg.id, image: r.image, label: r.label, z: r.z }, [r.image.buffer as ArrayBuffer, r.label.buffer as ArrayBuffer]);
    },
    (err: unknown) => parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
