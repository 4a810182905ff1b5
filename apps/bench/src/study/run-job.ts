import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { deriveSeed, openDataset, synthesizeDataset, type TaskProfile } from "@transseg/datasets";
import { aggregate, classMean, toJsonValue, type JsonMetricValue } from "@transseg/metrics";
import { BEST_FILE, LAST_FILE, METRICS_FILE, RUN_FILE, readTrainState, resume, runSplit, splitSummary, train, type TrainCallbacks, type TrainOptions } from "@transseg/vit3d";
import { writeJsonAtomic } from "./atomic.js";
import type { StudyBudget } from "./budgets.js";
import { evaluateCases } from "./evaluate.js";
import { JobInterrupted } from "./interrupt.js";
import type { StudyJob, StudyRegistries, StudySettings } from "./jobs.js";
import { dataSplit, findRealDatasets } from "./real-data.js";
import { JOB_FORMAT, jobFileName, type JobExtras, type JobFile, type JobResult } from "./results.js";
import type { StudySource } from "./sources.js";
import type { StudyVariant } from "./variants.js";

export interface JobContext {
  readonly out: string;
  readonly settings: StudySettings;
  readonly budget: StudyBudget;
  readonly variant: StudyVariant;
  /** The job's pre-training source (null for a randomly initialised variant). */
  readonly source: StudySource | null;
  readonly profile: TaskProfile;
  readonly backend: string;
  readonly log: (message: string) => void;
  /** Registries the job's ids are resolved in (task profiles, inflation strategies, source layouts, losses). */
  readonly registries?: StudyRegistries;
  /** Aborting stops training after the current step with the state saved: `runJob` then throws `JobInterrupted`. */
  readonly signal?: AbortSignal;
}

/** A stable number from a string (FNV-1a), so a dataset's data seed does not depend on the selection. */
export function stringSeed(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * The dataset a job trains on: the task's dataset under `root` in either layout (a Decathlon
 * folder named after the task, or a raw ACDC / BTCV download; `findDatasets`), else synthetic
 * data in `<out>/data/<id>` (made once, from the study's data seed: the same for every training seed).
 */
export async function jobDataset(ctx: Pick<JobContext, "out" | "settings" | "budget" | "profile">): Promise<{ folder: string; kind: "real" | "synthetic"; seed: number | null; layout: string }> {
  const { settings, profile } = ctx;
  const real = settings.root === null ? undefined : (await findRealDatasets(settings.root, [profile.id])).get(profile.id);
  if (real !== undefined) return { folder: resolve(real.dir), kind: "real", seed: null, layout: real.layout };
  const folder = join(ctx.out, "data", profile.id);
  const seed = deriveSeed(settings.dataSeed, stringSeed(profile.id));
  if (!existsSync(join(folder, "dataset.json"))) {
    const { cases, size } = ctx.budget.synth;
    await synthesizeDataset({ profile, outDir: folder, cases, testCases: 0, size, ...(ctx.budget.synth.depth ? { depth: ctx.budget.synth.depth } : {}), seed });
  }
  return { folder, kind: "synthetic", seed, layout: "decathlon" };
}

/** The training options of a job (everything but the data and run folders is recorded in results). */
export function jobTrainOptions(job: StudyJob, ctx: Pick<JobContext, "settings" | "budget" | "variant" | "source">): Omit<TrainOptions, "data" | "out"> {
  const { settings, budget, variant, source } = ctx;
  const fromCheckpoint = variant.init === "checkpoint";
  if (fromCheckpoint && !source) throw new Error(`${job.key}: variant "${variant.id}" needs a 2D pre-trained checkpoint (--pretrained)`);
  return {
    ...budget.train,
    ...(settings.steps !== null ? { steps: settings.steps } : {}),
    task: job.dataset,
    variant: variant.variant,
    init: variant.init,
    seed: job.seed,
    splitSeed: settings.splitSeed,
    ...(fromCheckpoint
      ? { checkpoint: source!.file, inflation: job.strategy ?? "center" }
      : budget.randomPreset
        ? { preset: budget.randomPreset }
        : { encoder: budget.randomEncoder! }),
  };
}

function readCurves(runDir: string): Pick<JobExtras, "curve" | "validation"> {
  const curve: [number, number][] = [];
  const validation: [number, number][] = [];
  const file = join(runDir, METRICS_FILE);
  if (!existsSync(file)) return { curve, validation };
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { step: number; loss?: number; val_dice?: number };
    if (typeof r.loss === "number") curve.push([r.step, r.loss]);
    if (typeof r.val_dice === "number") validation.push([r.step, r.val_dice]);
  }
  return { curve, validation };
}

const round = (x: number, d = 6) => Number(x.toFixed(d));
const orNull = (x: number) => (Number.isFinite(x) ? round(x) : null);

/** The run folder of a job: `<out>/runs/<dataset>/<column>/s<seed>`. */
export const jobRunDir = (out: string, key: string) => join(out, "runs", ...key.split("/"));

/**
 * Trains one job (or resumes its unfinished run folder from the last saved training state),
 * evaluates its test split and writes `<out>/jobs/<key>.json`. Throws `JobInterrupted` when
 * `ctx.signal` stopped the training (its state is saved: the next `runJob` resumes it).
 */
export async function runJob(job: StudyJob, ctx: JobContext): Promise<JobFile> {
  const { profile } = ctx;
  const data = await jobDataset(ctx);
  const runDir = jobRunDir(ctx.out, job.key);
  // an earlier attempt that got as far as run.json resumes (from its saved state, or from step 0); anything less starts over
  const resumable = existsSync(join(runDir, RUN_FILE));
  if (!resumable && existsSync(runDir)) rmSync(runDir, { recursive: true, force: true });
  const options = jobTrainOptions(job, ctx);
  const split = dataSplit(ctx.settings, data.kind);
  const reg = ctx.registries ?? {};
  const callbacks: TrainCallbacks = { profiles: reg.profiles, strategies: reg.strategies, adapters: reg.adapters, losses: reg.losses, lock: { command: "transseg-bench run" }, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const t0 = performance.now();
  if (resumable) ctx.log(`${job.key}: resuming its run folder from step ${readTrainState(runDir)?.info.step ?? 0}`);
  const trained = resumable ? await resume(runDir, callbacks) : await train({ ...options, data: data.folder, out: runDir, split }, callbacks);
  if (trained.stopped === "aborted") throw new JobInterrupted(job.key, trained.step);
  const trainSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const { dataset } = await openDataset(data.folder);
  // the trainer's split (same function, same options): evaluate on its test cases
  const cases = runSplit(dataset.training, { split, task: job.dataset, splitSeed: ctx.settings.splitSeed });
  const { test } = cases;
  if (test.length === 0) throw new Error(`${data.folder}: no test case after the split (${dataset.training.length} cases)`);
  const model = existsSync(join(runDir, BEST_FILE)) ? join(runDir, BEST_FILE) : join(runDir, LAST_FILE);
  const evaluated = await evaluateCases({ model, cases: test, profile, batch: ctx.budget.predictBatch, overlay: true });
  const summary = aggregate(evaluated.cases.map((c) => c.metrics));
  const foreground = Array.from({ length: profile.classes - 1 }, (_, i) => i + 1);
  const meanLabels = [...(profile.paper.reportedLabels ?? foreground)];
  const dice: Record<string, number | null> = {};
  const hd95: Record<string, JsonMetricValue> = {};
  const diceValues: Record<string, number> = {};
  const finiteHd: number[] = [];
  for (const cls of foreground) {
    const m = summary.mean[String(cls)];
    const d = m?.dice ?? NaN;
    diceValues[String(cls)] = d;
    dice[String(cls)] = orNull(d);
    // a class whose HD95 is infinite in every case (missed or hallucinated everywhere) reports "inf"
    const h = m === undefined ? NaN : m.n.hd95 === 0 && m.n_inf.hd95 > 0 ? Infinity : m.hd95;
    hd95[String(cls)] = toJsonValue(Number.isFinite(h) ? round(h, 4) : h);
    if (Number.isFinite(h)) finiteHd.push(h);
  }
  const record = JSON.parse(readFileSync(join(runDir, RUN_FILE), "utf8")) as { options: Record<string, unknown> };
  const { data: _d, out: _o, ...trainRecord } = record.options;
  const result: JobResult = {
    key: job.key,
    dataset: job.dataset,
    column: job.column,
    variant: job.variant,
    source: job.source,
    seed: job.seed,
    label: job.label,
    strategy: ctx.variant.init === "checkpoint" && ctx.variant.variant === "3d" ? (job.strategy ?? "center") : null,
    data: data.kind,
    split: splitSummary(cases),
    testCases: evaluated.cases.map((c) => c.id),
    classes: Object.fromEntries(foreground.map((c) => [String(c), profile.labels[c] ?? String(c)])),
    dice,
    meanDice: orNull(classMean(diceValues, meanLabels)),
    meanLabels,
    hd95,
    meanHd95: finiteHd.length ? round(finiteHd.reduce((a, b) => a + b, 0) / finiteHd.length, 4) : null,
    steps: trained.step,
    bestStep: trained.bestStep,
    bestValDice: trained.bestDice === null ? null : round(trained.bestDice),
    seeds: { train: job.seed, split: ctx.settings.splitSeed, data: data.seed },
    train: trainRecord,
    trainSeconds: round(trainSeconds, 2),
    evalSeconds: round((performance.now() - t1) / 1000, 2),
    environment: { backend: ctx.backend, node: process.version },
  };
  const file: JobFile = { format: JOB_FORMAT, result, extras: { ...readCurves(runDir), overlay: evaluated.overlay } };
  writeJsonAtomic(join(ctx.out, "jobs", jobFileName(job.key)), file);
  return file;
}
