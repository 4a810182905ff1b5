/**
 * One timed TensorFlow.js run of the train suite in its own process (wasm threads are fixed when
 * the runtime starts): argv[2] is JSON `{ config, backend, threads, warmup, steps }`; prints
 * `{ "seconds_per_step": s, "threads": n, "description": "…" }` on the last stdout line.
 */
import { builtinLosses, createSegmentationModel, initBackend, TrainStepper, type SegConfigInput } from "@transseg/vit3d";
import { trainBatch } from "./train-batch.js";

interface ChildArgs {
  readonly config: SegConfigInput;
  readonly backend: string;
  readonly threads: number;
  readonly warmup: number;
  readonly steps: number;
}

const args = JSON.parse(process.argv[2] ?? "null") as ChildArgs | null;
if (args === null) throw new Error("train-step-child: expected one JSON argument");
const info = await initBackend(args.backend, { threads: args.threads, log: () => undefined });
const model = createSegmentationModel(args.config, { seed: 3 });
const stepper = new TrainStepper(model, { loss: builtinLosses["dice-focal"], weightDecay: 0.05 });
const batch = trainBatch(args.config);
for (let i = 0; i < args.warmup; i++) stepper.step([batch], 3e-5, 1 + i);
const start = performance.now();
for (let i = 0; i < args.steps; i++) stepper.step([batch], 3e-5, 1 + args.warmup + i);
const seconds = (performance.now() - start) / 1000 / args.steps;
model.dispose();
console.log(JSON.stringify({ seconds_per_step: seconds, threads: info.threads, description: info.description }));
