import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { getProfile, synthesizeDataset } from "@transseg/datasets";
import { train, type TrainOptions } from "@transseg/vit3d";
import { encoder2dFromSegCheckpoint, writeEncoder } from "./encoder-2d.js";

/** The tiny encoder the bundled 2D checkpoint has (and the quick budget's random-init variant uses). */
export const TINY_ENCODER = { kind: "beit", dim: 64, depth: 4, heads: 4, mlp_ratio: 4, patch: 8 } as const;

export interface Pretrain2dOptions {
  /** The encoder checkpoint to write (safetensors). */
  readonly out: string;
  /** Scratch folder for the synthetic data and the training run (emptied first). */
  readonly work: string;
  /**
   * Profiles whose synthetic phantoms are the pre-training data, one stage each, every stage
   * starting from the previous stage's encoder (default `["BTCV"]`: the development set, so no
   * evaluation task is seen before the study).
   */
  readonly profiles?: readonly string[];
  readonly stepsPerProfile?: number;
  readonly cases?: number;
  readonly size?: number;
  readonly seed?: number;
  readonly encoder?: NonNullable<TrainOptions["encoder"]>;
  readonly img?: readonly [number, number];
  readonly batch?: number;
  readonly lr?: number;
  readonly log?: (message: string) => void;
}

export interface Pretrain2dResult {
  readonly file: string;
  readonly metadata: Record<string, string>;
  readonly seconds: number;
}

/**
 * Pre-trains a small 2D ViT (BEiT layout) as a 2D segmentation model (`variant: "2d"`, centre
 * slice only) on synthetic slices, then keeps only its encoder in timm/BEiT canonical names,
 * one input channel, with `__metadata__.transseg_pretrain` saying how it was made. Stands in
 * for an ImageNet checkpoint so the study can show transfer offline.
 */
export async function pretrain2d(o: Pretrain2dOptions): Promise<Pretrain2dResult> {
  const log = o.log ?? (() => {});
  const start = Date.now();
  const profiles = o.profiles ?? ["BTCV"];
  const recipe = {
    stepsPerProfile: o.stepsPerProfile ?? 500,
    cases: o.cases ?? 24,
    size: o.size ?? 64,
    seed: o.seed ?? 2022,
    encoder: o.encoder ?? TINY_ENCODER,
    img: o.img ?? ([64, 64] as const),
    batch: o.batch ?? 4,
    lr: o.lr ?? 1e-3,
  };
  if (existsSync(o.work)) rmSync(o.work, { recursive: true, force: true });
  let previous: string | undefined;
  let lastSeg = "";
  const stages: { profile: string; steps: number; bestValDice: number | null }[] = [];
  for (const [i, id] of profiles.entries()) {
    const profile = getProfile(id);
    const data = join(o.work, `data-${profile.id}`);
    await synthesizeDataset({ profile, outDir: data, cases: recipe.cases, testCases: 0, size: recipe.size, seed: recipe.seed + i });
    const runDir = join(o.work, `run-${profile.id}`);
    log(`pretrain stage ${i + 1}/${profiles.length}: ${profile.id}, ${recipe.stepsPerProfile} steps`);
    let shown = 0;
    const r = await train(
      {
        data,
        out: runDir,
        variant: "2d",
        ...(previous ? { init: "checkpoint", checkpoint: previous } : { init: "random", encoder: recipe.encoder }),
        img: recipe.img,
        steps: recipe.stepsPerProfile,
        batch: recipe.batch,
        lr: recipe.lr,
        warmup: 20,
        dropout: 0,
        foregroundProbability: 0.9,
        seed: recipe.seed,
        valEvery: 0,
        valCases: 2,
        saveEvery: recipe.stepsPerProfile,
        logEvery: 10,
      },
      {
        onProgress: (p) => {
          if (Date.now() - shown < 10_000 && p.step < p.total) return;
          shown = Date.now();
          log(`  step ${p.step}/${p.total} loss ${p.loss.toFixed(4)} (${p.stepsPerSecond.toFixed(2)} steps/s)`);
        },
      },
    );
    stages.push({ profile: profile.id, steps: r.step, bestValDice: r.bestDice === null ? null : Number(r.bestDice.toFixed(4)) });
    lastSeg = existsSync(join(runDir, "best.safetensors")) ? join(runDir, "best.safetensors") : join(runDir, "last.safetensors");
    previous = join(o.work, `encoder-${profile.id}.safetensors`);
    writeEncoder(previous, await encoder2dFromSegCheckpoint(lastSeg), {});
  }
  if (!lastSeg) throw new Error("pretrain2d: profiles is empty");
  const tensors = await encoder2dFromSegCheckpoint(lastSeg);
  const metadata = {
    format: "pt",
    transseg_pretrain: JSON.stringify({
      format: "transseg-pretrain-2d/1",
      made_by: "apps/bench/scripts/pretrain-2d.ts (pretrain2d in apps/bench/src/study/pretrain.ts)",
      task: "2D segmentation (variant 2d: centre slice, patch depth 1) of synthetic phantom slices; encoder kept, decoder dropped; patch kernel summed to 1 input channel",
      profiles,
      stages,
      encoder: recipe.encoder,
      img: recipe.img,
      batch: recipe.batch,
      lr: recipe.lr,
      cases: recipe.cases,
      size: recipe.size,
      seed: recipe.seed,
    }),
  };
  writeEncoder(o.out, tensors, metadata);
  return { file: o.out, metadata, seconds: (Date.now() - start) / 1000 };
}
