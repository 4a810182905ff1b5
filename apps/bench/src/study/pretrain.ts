import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { builtinProfiles, formulaShapesProfile, getProfile, synthesizeDataset, synthesizeFormulaDataset } from "@transseg/datasets";
import { train, type TrainOptions } from "@transseg/vit3d";
import { encoder2dFromSegCheckpoint, writeEncoder } from "./encoder-2d.js";

/** The tiny encoder the bundled 2D checkpoint has (and the quick budget's random-init variant uses). */
export const TINY_ENCODER = { kind: "beit", dim: 64, depth: 4, heads: 4, mlp_ratio: 4, patch: 8 } as const;

/** The pre-training sources of the bundled encoders: same architecture, different data. */
export type PretrainSource = "medical" | "natural";

export interface Pretrain2dOptions {
  /** The encoder checkpoint to write (safetensors). */
  readonly out: string;
  /** Scratch folder for the synthetic data and the training run (emptied first). */
  readonly work: string;
  /**
   * `medical`: 2D segmentation of BTCV phantom slices (the development set: no evaluation task is
   * seen, but its organs resemble Spleen's and Liver's); `natural`: 2D segmentation of
   * formula-driven shapes on wave textures (no anatomy at all). Default `medical`.
   */
  readonly source?: PretrainSource;
  readonly steps?: number;
  readonly cases?: number;
  readonly size?: number;
  readonly seed?: number;
  readonly encoder?: NonNullable<TrainOptions["encoder"]>;
  readonly img?: readonly [number, number];
  readonly batch?: number;
  readonly lr?: number;
  readonly decoderChannels?: number;
  readonly log?: (message: string) => void;
}

export interface Pretrain2dResult {
  readonly file: string;
  readonly metadata: Record<string, string>;
  readonly seconds: number;
  /** Validation Dice (mean foreground, held-out cases of the pre-training data) by step. */
  readonly validation: readonly (readonly [number, number])[];
}

/** Each source's recipe (the bundled encoders are made with these; see scripts/pretrain-2d.ts). */
export const PRETRAIN_RECIPES = {
  medical: { kind: "medical-like", data: "BTCV phantoms (synthesizeDataset, profile BTCV)", steps: 2400, cases: 24, size: 64, depth: 24 },
  natural: { kind: "natural-like", data: "formula-driven shapes (synthesizeFormulaDataset: ellipse / rectangle / triangle on wave textures)", steps: 2400, cases: 24, size: 64, depth: 16 },
} as const satisfies Record<PretrainSource, { kind: string; data: string; steps: number; cases: number; size: number; depth: number }>;

/**
 * Pre-trains a small 2D ViT (BEiT layout) as a 2D segmentation model (`variant: "2d"`, centre
 * slice only) on synthetic slices, then keeps only its encoder in timm/BEiT canonical names,
 * one input channel, with `__metadata__.transseg_pretrain` saying how it was made. Stands in
 * for an ImageNet checkpoint so the study can show transfer offline.
 */
export async function pretrain2d(o: Pretrain2dOptions): Promise<Pretrain2dResult> {
  const log = o.log ?? (() => {});
  const start = Date.now();
  const source = o.source ?? "medical";
  const base = PRETRAIN_RECIPES[source];
  const recipe = {
    source,
    kind: base.kind,
    data: base.data,
    steps: o.steps ?? base.steps,
    cases: o.cases ?? base.cases,
    size: o.size ?? base.size,
    depth: base.depth,
    seed: o.seed ?? 2022,
    encoder: o.encoder ?? TINY_ENCODER,
    img: o.img ?? ([64, 64] as const),
    batch: o.batch ?? 4,
    lr: o.lr ?? 2e-3,
    warmup: 50,
    augment: false,
    decoderChannels: o.decoderChannels ?? 32,
  };
  if (existsSync(o.work)) rmSync(o.work, { recursive: true, force: true });
  const data = join(o.work, "data");
  const profile = source === "medical" ? getProfile("BTCV") : formulaShapesProfile;
  if (source === "medical") await synthesizeDataset({ profile, outDir: data, cases: recipe.cases, testCases: 0, size: recipe.size, depth: recipe.depth, seed: recipe.seed });
  else await synthesizeFormulaDataset({ outDir: data, cases: recipe.cases, size: recipe.size, depth: recipe.depth, seed: recipe.seed });
  const runDir = join(o.work, "run");
  log(`pretrain ${source}: ${recipe.steps} steps on ${recipe.data}`);
  let shown = 0;
  const validation: [number, number][] = [];
  const r = await train(
    {
      data,
      out: runDir,
      task: profile.id,
      variant: "2d",
      init: "random",
      encoder: recipe.encoder,
      decoderChannels: recipe.decoderChannels,
      img: recipe.img,
      steps: recipe.steps,
      batch: recipe.batch,
      lr: recipe.lr,
      warmup: recipe.warmup,
      augment: recipe.augment,
      dropout: 0,
      foregroundProbability: 0.9,
      seed: recipe.seed,
      valEvery: Math.max(1, Math.round(recipe.steps / 4)),
      valCases: 4,
      saveEvery: recipe.steps,
      logEvery: 20,
    },
    {
      profiles: { ...builtinProfiles, [formulaShapesProfile.id]: formulaShapesProfile },
      onValidation: (v) => {
        validation.push([v.step, Number(v.val_dice.toFixed(4))]);
        log(`  ${source} step ${v.step}: validation Dice ${v.val_dice.toFixed(4)}`);
      },
      onProgress: (p) => {
        if (Date.now() - shown < 30_000 && p.step < p.total) return;
        shown = Date.now();
        log(`  ${source} step ${p.step}/${p.total} loss ${p.loss.toFixed(4)} (${p.stepsPerSecond.toFixed(2)} steps/s)`);
      },
    },
  );
  const seg = existsSync(join(runDir, "best.safetensors")) ? join(runDir, "best.safetensors") : join(runDir, "last.safetensors");
  const tensors = await encoder2dFromSegCheckpoint(seg);
  const seconds = (Date.now() - start) / 1000;
  const metadata = {
    format: "pt",
    transseg_pretrain: JSON.stringify({
      format: "transseg-pretrain-2d/2",
      made_by: "apps/bench/scripts/pretrain-2d.ts (pretrain2d in apps/bench/src/study/pretrain.ts)",
      task: "2D segmentation (variant 2d: centre slice, patch depth 1); encoder kept, decoder dropped; patch kernel summed to 1 input channel",
      ...recipe,
      profiles: [profile.id],
      classes: profile.labels,
      steps_done: r.step,
      best_val_dice: r.bestDice === null ? null : Number(r.bestDice.toFixed(4)),
      best_step: r.bestStep,
      validation,
      seconds: Math.round(seconds),
    }),
  };
  writeEncoder(o.out, tensors, metadata);
  return { file: o.out, metadata, seconds, validation };
}
