/**
 * Child process of `measureTrainStep`: argv[2] is JSON `{ config, threads }`; prints
 * `{ "seconds": s }` (seconds per training step on wasm at that thread count).
 */
import type { SegConfigInput } from "@transseg/model";
import { createSegmentationModel } from "../load.js";
import { builtinLosses, TrainStepper } from "../train/index.js";
import { initBackend } from "./init-backend.js";

const { config, threads, stopAbove } = JSON.parse(process.argv[2] ?? "{}") as { config: SegConfigInput; threads: number; stopAbove?: number };
await initBackend("wasm", { threads, log: () => undefined });
const model = createSegmentationModel(config, { seed: 0 });
const stepper = new TrainStepper(model, { loss: builtinLosses["dice-focal"], weightDecay: 0.05 });
const [h, w] = config.encoder.img;
const depth = config.encoder.window ?? 5;
const image = new Float32Array(2 * (config.encoder.in_channels ?? 1) * depth * h * w).map((_, i) => ((i * 2654435761) % 997) / 997);
const label = new Int32Array(2 * h * w).map((_, i) => (i % w > w / 4 && i % w < w / 2 ? 1 : 0));
const batch = { image, label, shape: [2, config.encoder.in_channels ?? 1, depth, h, w] as const };
const first = performance.now();
stepper.step([batch], 1e-5, 1);
const firstSeconds = (performance.now() - first) / 1000;
if (stopAbove !== undefined && firstSeconds >= stopAbove) {
  console.log(JSON.stringify({ seconds: firstSeconds, stopped: true }));
  process.exit(0);
}
stepper.step([batch], 1e-5, 2);
const start = performance.now();
for (let i = 0; i < 3; i++) stepper.step([batch], 1e-5, 3 + i);
console.log(JSON.stringify({ seconds: (performance.now() - start) / 3000 }));
