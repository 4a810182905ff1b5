import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { getProfile, loadDataset, splitCases, synthesizeDataset } from "@transseg/datasets";
import { aggregate } from "@transseg/metrics";
import { initBackend, TINY_SYNTH_RECIPE, train, type TrainOptions } from "@transseg/vit3d";
import { evaluateCases } from "./study/evaluate.js";
import { BUNDLED_ENCODERS } from "./study/bundled.js";

export interface DemoOptions {
  readonly out: string;
  readonly task?: string;
  readonly cases?: number;
  readonly size?: number;
  readonly steps?: number;
  readonly backend?: string;
  readonly log?: (message: string) => void;
  /** Training options beyond the demo's recipe (tests shrink the run with these). */
  readonly trainOverrides?: Partial<TrainOptions>;
}

export interface DemoResult {
  readonly runDir: string;
  readonly table: string;
  readonly mean: Record<string, { dice: number; hd95: number }>;
  readonly seconds: number;
}

/**
 * The demo's training: vit3d's TINY_SYNTH_RECIPE (BEiT dim 64 / depth 4 / patch 8 + UPerNet 32,
 * lr 3e-3, batch 8), initialised from the bundled 2D encoder inflated to 3D ("Ours"), shortened
 * to 300 steps with one validation at the end so the whole demo stays within a few minutes.
 */
export function demoTrainOptions(steps = 300): Omit<TrainOptions, "data" | "out"> {
  const { encoder: _architectureComesFromTheCheckpoint, ...recipe } = TINY_SYNTH_RECIPE.train;
  return { ...recipe, init: "checkpoint", checkpoint: BUNDLED_ENCODERS.medical, steps, valEvery: steps, saveEvery: steps };
}

const fmt = (v: number, digits = 4) => (Number.isNaN(v) ? "-" : v === Infinity ? "inf" : v.toFixed(digits));

/**
 * The README's main job: synthesize one dataset, train briefly, predict the held-out test split,
 * evaluate, and print a Dice / HD95 table.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const start = Date.now();
  const profile = getProfile(options.task ?? "Task09_Spleen");
  const data = join(options.out, "data");
  const caseCount = options.cases ?? TINY_SYNTH_RECIPE.dataset.cases;
  const size = options.size ?? TINY_SYNTH_RECIPE.dataset.size;
  log(`[1/4] synthesizing ${profile.id} (${caseCount} cases, ${size} px) in ${data}`);
  await synthesizeDataset({ profile, outDir: data, cases: caseCount, testCases: 0, size, seed: TINY_SYNTH_RECIPE.dataset.seed });
  const backend = await initBackend(options.backend ?? "auto");
  log(`      backend: ${backend.description}`);
  const runDir = join(options.out, "run");
  const trainOptions = { ...demoTrainOptions(options.steps), data, out: runDir, ...options.trainOverrides };
  log(`[2/4] inflating the bundled 2D encoder and training ${trainOptions.steps} steps in ${runDir}`);
  let lastShown = 0;
  await train(
    trainOptions,
    {
      onProgress: (p) => {
        if (Date.now() - lastShown < 5000 && p.step < p.total) return;
        lastShown = Date.now();
        log(`      step ${p.step}/${p.total} loss ${p.loss.toFixed(4)} ${p.stepsPerSecond.toFixed(2)} steps/s`);
      },
      onValidation: (r) => log(`      validation at step ${r.step}: Dice ${r.val_dice.toFixed(4)}`),
    },
  );
  const dataset = await loadDataset(data);
  const { test } = splitCases(dataset.training);
  const predDir = join(options.out, "predictions");
  mkdirSync(predDir, { recursive: true });
  log(`[3/4] predicting ${test.length} held-out case(s) into ${predDir}`);
  const rows: string[] = [];
  const evaluated = await evaluateCases({
    model: join(runDir, "best.safetensors"),
    cases: test,
    profile,
    batch: 8,
    predDir,
    onCase: (id, metrics) => {
      for (const [cls, m] of Object.entries(metrics)) rows.push(`| ${id} | ${profile.labels[Number(cls)] ?? cls} | ${fmt(m.dice)} | ${fmt(m.hd95, 2)} |`);
    },
  });
  const cases = evaluated.cases.map((c) => c.metrics);
  log("[4/4] evaluating");
  const summary = aggregate(cases);
  const mean = Object.fromEntries(Object.entries(summary.mean).map(([cls, m]) => [cls, { dice: m.dice, hd95: m.hd95 }]));
  for (const [cls, m] of Object.entries(mean)) rows.push(`| mean | ${profile.labels[Number(cls)] ?? cls} | ${fmt(m.dice)} | ${fmt(m.hd95, 2)} |`);
  const table = ["| case | class | Dice | HD95 (mm) |", "| --- | --- | --- | --- |", ...rows].join("\n");
  return { runDir, table, mean, seconds: (Date.now() - start) / 1000 };
}
