import type { TrainOptions } from "@transseg/vit3d";
import { TINY_ENCODER } from "./pretrain.js";

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
  description: "tiny BEiT (dim 64, depth 4, patch 8) + UPerNet(32) at 64×64, 200 steps of batch 4, 61 synthetic cases of 64×64×24 (4 test cases)",
  train: {
    img: [64, 64],
    steps: 200,
    batch: 4,
    lr: 2e-3,
    warmup: 10,
    augment: false,
    dropout: 0,
    decoderChannels: 32,
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
    "UPerNet with 32 channels instead of the encoder's 64 halves the step (0.6 s -> 0.3 s at batch 4 on one core), so the 30 minutes buy 200 steps instead of 100; lr 2e-3 without augmentation, as vit3d's TINY_SYNTH_RECIPE, which converges within 200-400 steps on phantoms (augmentation only slows such short runs). BTCV's 13 organs are beyond 200 steps of this model (all variants stay near 0 on it), so the budget was set by time and by the tiny recipe, not by a BTCV optimum; 61 cases give 4 test cases per dataset under SPEC §4's split. Chosen on BTCV and validation splits (see the bench README).",
  predictBatch: 8,
  processes: "cores",
} as const satisfies StudyBudget;

/**
 * Three training seeds and both bundled sources (medical-like, natural-like): a measurement with
 * statistics, in under 80 minutes on 2 cores.
 */
export const standardBudget = {
  id: "standard",
  description: "quick's model and data, 120 steps, 3 training seeds, both bundled pre-training sources (medical, natural): 165 jobs",
  train: { ...quickBudget.train, steps: 120 },
  randomEncoder: TINY_ENCODER,
  randomPreset: null,
  synth: quickBudget.synth,
  seeds: [0, 1, 2],
  sources: ["medical", "natural"],
  reason:
    "165 jobs (11 datasets × (2 sources × 2 variants + random) × 3 seeds) must fit 80 minutes on 2 cores: 120 steps per job (~45 s with evaluation) is what fits; the seeds and the second source are where this budget spends its time, because the paired bootstrap over datasets needs seed-averaged differences more than it needs longer runs.",
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

export const builtinBudgets = { quick: quickBudget, standard: standardBudget, paper: paperBudget } as const satisfies BudgetRegistry;
