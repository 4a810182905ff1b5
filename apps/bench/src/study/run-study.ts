import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PluginRecord } from "@transseg/cli";
import { builtinProfiles, getProfile } from "@transseg/datasets";
import { resolveId } from "@transseg/weights";
import { initBackend } from "@transseg/vit3d";
import { writeJsonAtomic } from "./atomic.js";
import { builtinBudgets, type StudyBudget } from "./budgets.js";
import { BUNDLED_ENCODERS, type BundledEncoderRegistry } from "./bundled.js";
import { ABLATION_DATASETS, buildJobs, shardJobs, STUDY_DATASETS, STUDY_FORMAT, type Shard, type StudyRegistries, type StudySettings } from "./jobs.js";
import { readJobFile, readSettings, STUDY_FILE, studyIdentity, writeOutputs } from "./outputs.js";
import { describeStudyData } from "./real-data.js";
import type { StudyResults } from "./results.js";
import { JobInterrupted } from "./interrupt.js";
import { runJob } from "./run-job.js";
import { bundledSources, parseSources, resolveSource, type StudySource } from "./sources.js";
import { builtinVariants, type VariantRegistry } from "./variants.js";

export interface RunStudyOptions {
  readonly out: string;
  /** Profile ids (default: the 11 datasets; BTCV alone, as the paper's ablation, when only `strategies` are given). */
  readonly datasets?: readonly string[];
  readonly variants?: readonly string[];
  readonly strategies?: readonly string[];
  /** Budget id (default `quick`). */
  readonly budget?: string;
  /** Folder of real datasets: each task's folder in the Decathlon layout or a raw ACDC / BTCV download (split as the paper split them). */
  readonly root?: string | null;
  /** Training seeds (default: the budget's). */
  readonly seeds?: readonly number[];
  /** Seed of the synthetic data, fixed across training seeds (default 0). */
  readonly dataSeed?: number;
  /** Run only this part of the job matrix. */
  readonly shard?: Shard;
  /** `--pretrained`: a checkpoint, a bundled encoder's name, or `name=path,…` (default: the budget's bundled sources). */
  readonly pretrained?: string;
  /** Override the budget's steps. */
  readonly steps?: number;
  /** TensorFlow.js backend request (default `auto`) and wasm threads. */
  readonly backend?: string;
  readonly threads?: number;
  readonly log?: (message: string) => void;
  /** Registries with the plugins' entries added (`{ ...builtinStrategies, ...added.strategies }`, …). */
  readonly registries?: StudyRegistries;
  /** The plugins those entries came from (`loadPlugins(…).plugins`), recorded in the settings and the design. */
  readonly plugins?: readonly PluginRecord[];
  /**
   * Aborting (SIGTERM, SIGUSR1, Ctrl-C in the CLI) stops the running job after its current
   * training step with its state saved, and starts no other: the result says which job was
   * interrupted, and running the study again into the same folder resumes it.
   */
  readonly signal?: AbortSignal;
}

export interface RunStudyResult {
  readonly results: StudyResults;
  /** Keys run now, and keys found finished in the folder. */
  readonly ran: readonly string[];
  readonly reused: readonly string[];
  readonly seconds: number;
  /** Set when `signal` stopped the run: the job interrupted (its training state saved; null when it stopped between jobs) and the jobs not started. */
  readonly interrupted?: { readonly key: string | null; readonly step: number | null; readonly notStarted: readonly string[] };
}

const isSeed = (n: number) => Number.isInteger(n) && n >= 0 && n < 2 ** 32;

/** The pre-training sources of a study: `--pretrained`, else the budget's bundled ones (checks every file). */
function studySources(o: Pick<RunStudyOptions, "pretrained">, budget: StudyBudget, encoders: BundledEncoderRegistry): StudySource[] {
  if (o.pretrained !== undefined) return parseSources(o.pretrained, encoders).map(resolveSource);
  if (budget.sources.length === 0) throw new Error(`budget "${budget.id}" needs --pretrained <2D checkpoint> or name=path,… (the bundled encoders ${Object.keys(encoders).join(", ")} are tiny models for the quick and standard budgets)`);
  return bundledSources(budget.sources, encoders).map(resolveSource);
}

/** The settings of a study from run options (checks every id, the checkpoints and the seeds). */
export function studySettings(o: Omit<RunStudyOptions, "out" | "shard" | "backend" | "threads" | "log">): StudySettings {
  const reg = o.registries ?? {};
  const budget = resolveId("budget", o.budget ?? "quick", reg.budgets ?? builtinBudgets);
  const variants = [...(o.variants ?? ["ours", "2d", "random"])];
  const strategies = [...(o.strategies ?? [])];
  const datasets = [...(o.datasets ?? (strategies.length > 0 ? ABLATION_DATASETS : STUDY_DATASETS))]; // the paper's ablation ran on BTCV
  const seeds = [...(o.seeds ?? budget.seeds)];
  const dataSeed = o.dataSeed ?? 0;
  if (seeds.length === 0 || !seeds.every(isSeed) || new Set(seeds).size !== seeds.length) throw new Error(`--seeds must be distinct non-negative integers (got ${seeds.join(",") || "none"})`);
  if (!isSeed(dataSeed)) throw new Error(`--data-seed must be a non-negative integer (got ${o.dataSeed})`);
  if (o.steps !== undefined && !(Number.isInteger(o.steps) && o.steps >= 1)) throw new Error(`--steps must be a positive integer (got ${o.steps})`);
  const needsCheckpoint = strategies.length > 0 || variants.some((v) => resolveId("variant", v, reg.variants ?? (builtinVariants as VariantRegistry)).init === "checkpoint");
  const sources = needsCheckpoint ? studySources(o, budget, reg.encoders ?? BUNDLED_ENCODERS) : [];
  buildJobs({ datasets, variants, strategies, seeds, sources }, reg); // validates every id
  const root = o.root ? resolve(o.root) : null;
  const plugins = [...(o.plugins ?? [])];
  return { format: STUDY_FORMAT, budget: budget.id, datasets, variants, strategies, seeds, dataSeed, splitSeed: 1234, sources, root, split: root === null ? null : "paper", steps: o.steps ?? null, plugins };
}

/**
 * `transseg-bench run`: trains and evaluates every job of the matrix (or of one shard) into
 * `out`, skipping jobs already finished there and resuming an interrupted one from its last
 * saved training state, then writes results.json, results.md and report.html from all finished
 * jobs of the folder.
 */
export async function runStudy(o: RunStudyOptions): Promise<RunStudyResult> {
  const start = performance.now();
  const log = o.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const reg = o.registries ?? {};
  const settings = studySettings(o);
  mkdirSync(o.out, { recursive: true });
  if (existsSync(join(o.out, STUDY_FILE)) && studyIdentity(readSettings(o.out)) !== studyIdentity(settings)) {
    throw new Error(`${join(o.out, STUDY_FILE)}: the folder holds a different study (other datasets, variants, budget, seeds, data seed or sources); choose another -o`);
  }
  writeJsonAtomic(join(o.out, STUDY_FILE), settings);
  const all = buildJobs(settings, reg);
  const jobs = o.shard ? shardJobs(all, o.shard) : all;
  const budget = resolveId("budget", settings.budget, reg.budgets ?? builtinBudgets);
  const backend = await initBackend((o.backend ?? "auto") as "auto", o.threads ? { threads: o.threads } : {});
  const sourceNames = settings.sources.map((s) => s.name).join(", ") || "none";
  log(`study: ${jobs.length} of ${all.length} jobs${o.shard ? ` (shard ${o.shard.index}/${o.shard.count})` : ""}, budget ${budget.id}, seeds ${settings.seeds.join(",")}, sources ${sourceNames}, backend ${backend.description.split(";")[0]}`);
  // where each dataset's data come from, and its split (said once: by shard 0 when sharded)
  if (!o.shard || o.shard.index === 0) for (const line of await describeStudyData(settings, Object.keys(reg.profiles ?? builtinProfiles))) log(line);
  const ran: string[] = [];
  const reused: string[] = [];
  let interrupted: RunStudyResult["interrupted"];
  for (const [i, job] of jobs.entries()) {
    if (readJobFile(o.out, job.key)) {
      reused.push(job.key);
      log(`[${i + 1}/${jobs.length}] ${job.key}: finished earlier, kept`);
      continue;
    }
    const notStarted = () => jobs.slice(i + 1).map((j) => j.key).filter((k) => !readJobFile(o.out, k));
    if (o.signal?.aborted) {
      interrupted = { key: null, step: null, notStarted: [job.key, ...notStarted()] };
      break;
    }
    const t = performance.now();
    const variant = resolveId("variant", job.variant, reg.variants ?? builtinVariants);
    const profile = getProfile(job.dataset, reg.profiles ?? builtinProfiles);
    const source = settings.sources.find((s) => s.name === job.source) ?? null;
    let f;
    try {
      f = await runJob(job, { out: o.out, settings, budget, variant, source, profile, backend: backend.description.split(";")[0]!, log, registries: reg, ...(o.signal ? { signal: o.signal } : {}) });
    } catch (e) {
      if (!(e instanceof JobInterrupted)) throw e;
      log(`[${i + 1}/${jobs.length}] ${job.key}: interrupted at step ${e.step}, its training state saved; run the same command again to resume it`);
      interrupted = { key: job.key, step: e.step, notStarted: notStarted() };
      break;
    }
    ran.push(job.key);
    const md = f.result.meanDice;
    log(`[${i + 1}/${jobs.length}] ${job.key}: Dice ${md === null ? "–" : (100 * md).toFixed(2)} %, ${f.result.steps} steps, ${((performance.now() - t) / 1000).toFixed(0)} s`);
    writeOutputs(o.out, reg);
  }
  const results = writeOutputs(o.out, reg);
  return { results, ran, reused, seconds: (performance.now() - start) / 1000, ...(interrupted ? { interrupted } : {}) };
}
