import type { TrainOptions } from "@transseg/vit3d";
import { TINY_ENCODER } from "./pretrain.js";
import { TINY_SWIN } from "./swin.js";

/** Training options a budget fixes (data, out, variant, init, checkpoint and seeds come from the study). */
export type BudgetTrainOptions = Omit<Partial<TrainOptions>, "data" | "out" | "task" | "variant" | "init" | "checkpoint" | "inflation" | "seed" | "splitSeed">;

/** How much compute a study spends per job: model size, steps, synthetic data size. */
export interface StudyBudget {
  readonly id: string;
  readonly description: string;
  /** Training options of every job (`steps` absent = the profile's paper step count). */
  readonly train: BudgetTrainOptions;
  /** Encoder of the random-init variant when it has no preset (must match the pre-trained checkpoint's). */
  readonly randomEncoder: NonNullable<TrainOptions["encoder"]> | null;
  /** Preset of the random-init variant (`null` = `randomEncoder`). */
  readonly randomPreset: string | null;
  /** Synthetic data (used when no real dataset is found under `--root`). */
  readonly synth: { readonly cases: number; readonly size: number; readonly depth?: number };
  /** Training seeds run when `--seeds` is not given (data and split stay fixed across seeds). */
  readonly seeds: readonly number[];
  /**
   * Bundled encoders (`BUNDLED_ENCODERS` names) used as the pre-training sources when
   * `--pretrained` is not given; empty = `--pretrained` is required.
   */
  readonly sources: readonly string[];
  /** Why the numbers are what they are (compute, what they are meant to show). */
  readonly reason: string;
  /** Windows per prediction batch at evaluation. */
  readonly predictBatch: number;
  /** Local processes `run` starts when neither --jobs nor --shard is given ("cores": one per logical core, single-threaded). */
  readonly processes: number | "cores";
}

/**
 * The whole table (11 datasets × 3 variants, 1 seed, the medical-like encoder) in under 30 minutes
 * on 2 CPU cores: tiny models, a few hundred steps.
 */
export const quickBudget = {
  id: "quick",
  description: "tiny BEiT (dim 64, depth 4, patch 8) + UPerNet(64) at 64×64, 80 steps of batch 4, 61 synthetic cases of 64×64×24 (4 test cases)",
  train: {
    img: [64, 64],
    steps: 80,
    batch: 4,
    lr: 1e-3,
    warmup: 5,
    dropout: 0,
    foregroundProbability: 0.9,
    valEvery: 0,
    valCases: 1,
    saveEvery: 1000,
    logEvery: 5,
  },
  randomEncoder: TINY_ENCODER,
  randomPreset: null,
  synth: { cases: 61, size: 64, depth: 24 },
  seeds: [0],
  sources: ["medical"],
  reason:
    "Set by time on 2 cores, with the training recipe checked on validation splits: a UPerNet of 32 channels (half the step time) stayed at the all-background solution on ACDC and BTCV validation for 200 steps at lr 1e-3 and 2e-3, with or without augmentation, while 64 channels (the encoder's width) at lr 1e-3 with augmentation reached validation Dice 0.07 at step 50 and 0.20 at step 100 on ACDC; a step then costs ~0.6 s on one core, so 80 steps (~60-70 s a job with data and evaluation) fill the 30 minutes, and the standard budget runs the same jobs cut to 60 steps. 61 cases give 4 test cases per dataset under SPEC §4's split.",
  predictBatch: 8,
  processes: "cores",
} as const satisfies StudyBudget;

/**
 * Three training seeds and both bundled sources (medical-like, natural-like): a measurement with
 * statistics, in under 80 minutes on 2 cores.
 */
export const standardBudget = {
  id: "standard",
  description: "quick's jobs at 60 steps for 3 training seeds and both bundled pre-training sources (medical, natural): 165 jobs",
  train: { ...quickBudget.train, steps: 60 },
  randomEncoder: TINY_ENCODER,
  randomPreset: null,
  synth: quickBudget.synth,
  seeds: [0, 1, 2],
  sources: ["medical", "natural"],
  reason:
    "165 jobs (11 datasets × (2 sources × 2 variants + random) × 3 seeds) in 80 minutes on 2 cores leave under 60 s a job: quick's jobs cut to 60 steps (measured: a quick job takes ~68 s at 80 steps on 2 busy cores). The time goes to seeds and the second source, because the paired bootstrap over datasets needs seed-averaged differences more than it needs longer runs at this model size.",
  predictBatch: quickBudget.predictBatch,
  processes: quickBudget.processes,
} as const satisfies StudyBudget;

/** The paper's settings (SPEC §4): BEiT-base, the profile's img and step count, batch 16, AdamW 3e-5. */
export const paperBudget = {
  id: "paper",
  description: "the paper's settings: beit-base, the profile's img and paper steps, batch 16, lr 3e-5, weight decay 0.05, 20 warm-up steps",
  train: { batch: 16, lr: 3e-5, weightDecay: 0.05, warmup: 20, clipNorm: 1, loss: "dice-focal", valEvery: 500, saveEvery: 500, logEvery: 10 },
  randomEncoder: null,
  randomPreset: "beit-base",
  synth: { cases: 40, size: 256 },
  seeds: [0],
  sources: [],
  reason: "SPEC §4: the paper's model and optimiser; it needs a real ImageNet-scale checkpoint (--pretrained) and a GPU.",
  predictBatch: 4,
  processes: 1,
} as const satisfies StudyBudget;

export type BudgetRegistry = Readonly<Record<string, StudyBudget>>;

/**
 * The quick budget with the tiny Swin instead of the tiny BEiT (`transseg-bench run --encoder
 * swin`): the same data, steps and recipe; the decoder is `upernet-swint` (chosen for Swin
 * encoders) with the budget's 64 channels; the pre-training source is the bundled 2D Swin
 * pre-trained on the medical-like data (`scripts/pretrain-2d-swin.ts`).
 */
export const quickSwinBudget = {
  ...quickBudget,
  id: "quick-swin",
  // upernet-swint defaults to 512 channels (the paper's); the quick table's decoder is as wide as
  // the quick BEiT's UPerNet (64), else the decoder is most of a step (×8 the width, ×64 the FLOPs)
  train: { ...quickBudget.train, decoderChannels: 64 },
  description: "tiny Swin (embed 16, depths [1, 1, 2, 1], window 7, patch 4) + upernet-swint(64) at 64×64, 80 steps of batch 4, 61 synthetic cases of 64×64×24 (4 test cases)",
  randomEncoder: TINY_SWIN,
  randomPreset: null,
  sources: ["swin-medical"],
  reason: `${quickBudget.reason} The Swin version (--encoder swin) swaps the encoder for a tiny Swin and keeps everything else; its one pre-training source is medical-like data (800 steps).`,
} as const satisfies StudyBudget;

export const builtinBudgets = { quick: quickBudget, standard: standardBudget, paper: paperBudget, "quick-swin": quickSwinBudget } as const satisfies BudgetRegistry;
