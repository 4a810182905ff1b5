import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { getProfile, loadDataset, splitCases, synthesizeDataset } from "@transseg/datasets";
import { aggregate } from "@transseg/metrics";
import { initBackend, train, type TrainOptions } from "@transseg/vit3d";
import { evaluateCases } from "./study/evaluate.js";

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

/** The demo's small training recipe: a tiny BEiT from scratch on a synthetic task, a few minutes on 2 cores. */
export const DEMO_RECIPE = {
  encoder: { kind: "beit", dim: 96, depth: 4, heads: 4, patch: 8 },
  img: [64, 64],
  batch: 4,
  lr: 1e-3,
  warmup: 20,
  foregroundProbability: 0.9,
  dropout: 0,
  valEvery: 100,
  saveEvery: 100,
  logEvery: 10,
} as const satisfies Partial<TrainOptions>;

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
  log(`[1/4] synthesizing ${profile.id} (${options.cases ?? 16} cases, ${options.size ?? 64} px) in ${data}`);
  await synthesizeDataset({ profile, outDir: data, cases: options.cases ?? 16, testCases: 0, size: options.size ?? 64, seed: 1234 });
  const backend = await initBackend(options.backend ?? "auto");
  log(`      backend: ${backend.description}`);
  const runDir = join(options.out, "run");
  log(`[2/4] training ${options.steps ?? 300} steps in ${runDir}`);
  let lastShown = 0;
  await train(
    { ...DEMO_RECIPE, data, out: runDir, init: "random", steps: options.steps ?? 300, ...options.trainOverrides },
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
