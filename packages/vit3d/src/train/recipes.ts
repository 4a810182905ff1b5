import type { TrainOptions } from "./options.js";

/** A synthetic dataset to write with `@transseg/datasets`' `synthesizeDataset`. */
export interface SynthDatasetRecipe {
  /** Task profile id. */
  readonly task: string;
  /** In-plane size (depth = size / 2). */
  readonly size: number;
  /** Labelled cases (TransSeg's split: 80 % train, 15 % val, 5 % test). */
  readonly cases: number;
  readonly testCases: number;
  readonly seed: number;
}

/** A short training run that must visibly learn: its data, its options and what it reaches. */
export interface TrainRecipe {
  readonly description: string;
  readonly dataset: SynthDatasetRecipe;
  /** `train` options besides `data` and `out`. */
  readonly train: Omit<TrainOptions, "data" | "out">;
  /** Measured on a 2-core machine (wasm, 2 threads, nothing else running): validation Dice at the last step and wall seconds. */
  readonly reference: { readonly valDice: number; readonly seconds: number };
}

/**
 * The recommended tiny configuration for a demonstration on synthetic data (CLI `train`, the
 * demo, the convergence test): Task09_Spleen phantoms at 64², 16 cases (12 train, 3 val), a
 * BEiT of dim 64 / depth 4 with patch 8 (an 8×8 token grid: the ~18-px spleen spans several
 * tokens) and UPerNet with 32 channels, batch 8, AdamW at 3e-3 with 20 warm-up steps, windows
 * centred on a spleen slice 80 % of the time, no augmentation (TransSeg's zoom 0.5–2 on every
 * sample and ±0.1 intensity shift — ±42 HU, twice the spleen–liver contrast — are meant for
 * 25 000-step runs), 400 steps.
 */
export const TINY_SYNTH_RECIPE = Object.freeze({
  description: "tiny BEiT (dim 64, depth 4, patch 8) + UPerNet on synthetic Task09_Spleen 64², 400 steps",
  dataset: Object.freeze({ task: "Task09_Spleen", size: 64, cases: 16, testCases: 0, seed: 0 }),
  train: Object.freeze({
    steps: 400,
    batch: 8,
    lr: 3e-3,
    warmup: 20,
    init: "random",
    encoder: Object.freeze({ kind: "beit", dim: 64, depth: 4, heads: 4, patch: 8 }),
    decoderChannels: 32,
    img: [64, 64] as const,
    foregroundProbability: 0.8,
    augment: false,
    valEvery: 100,
    saveEvery: 100,
    logEvery: 10,
  }),
  reference: Object.freeze({ valDice: 0.909, seconds: 539 }),
}) satisfies TrainRecipe;
