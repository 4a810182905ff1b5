import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { builtinProfiles, getProfile } from "@transseg/datasets";
import { resolveId } from "@transseg/weights";
import { initBackend } from "@transseg/vit3d";
import { writeJsonAtomic } from "./atomic.js";
import { builtinBudgets } from "./budgets.js";
import { buildJobs, shardJobs, STUDY_DATASETS, STUDY_FORMAT, type Shard, type StudyRegistries, type StudySettings } from "./jobs.js";
import { readJobFile, readSettings, STUDY_FILE, studyIdentity, writeOutputs } from "./outputs.js";
import type { StudyResults } from "./results.js";
import { runJob } from "./run-job.js";
import { builtinVariants, type VariantRegistry } from "./variants.js";

/** The bundled 2D encoder (see scripts/pretrain-2d.ts). */
export const BUNDLED_CHECKPOINT = fileURLToPath(new URL("../../assets/beit-tiny-2d.safetensors", import.meta.url));

export interface RunStudyOptions {
  readonly out: string;
  readonly datasets?: readonly string[];
  readonly variants?: readonly string[];
  readonly strategies?: readonly string[];
  /** Budget id (default `quick`). */
  readonly budget?: string;
  /** Folder of real datasets (`<root>/<TaskName>/dataset.json`). */
  readonly root?: string | null;
  readonly seed?: number;
  /** Run only this part of the job matrix. */
  readonly shard?: Shard;
  /** 2D encoder checkpoint (default: the bundled one, quick budget only). */
  readonly pretrained?: string;
  /** Override the budget's steps. */
  readonly steps?: number;
  /** TensorFlow.js backend request (default `auto`) and wasm threads. */
  readonly backend?: string;
  readonly threads?: number;
  readonly log?: (message: string) => void;
  readonly registries?: StudyRegistries;
}

export interface RunStudyResult {
  readonly results: StudyResults;
  /** Keys run now, and keys found finished in the folder. */
  readonly ran: readonly string[];
  readonly reused: readonly string[];
  readonly seconds: number;
}

export function sha256File(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** The settings of a study from run options (checks every id, the checkpoint and the seed). */
export function studySettings(o: Omit<RunStudyOptions, "out" | "shard" | "backend" | "threads" | "log">): StudySettings {
  const reg = o.registries ?? {};
  const budgetId = o.budget ?? "quick";
  const budget = resolveId("budget", budgetId, reg.budgets ?? builtinBudgets);
  const variants = [...(o.variants ?? ["ours", "2d", "random"])];
  const strategies = [...(o.strategies ?? [])];
  const datasets = [...(o.datasets ?? STUDY_DATASETS)];
  buildJobs({ datasets, variants, strategies }, reg); // validates every id
  for (const d of datasets) getProfile(d, reg.profiles ?? builtinProfiles);
  const needsCheckpoint = strategies.length > 0 || variants.some((v) => resolveId("variant", v, reg.variants ?? (builtinVariants as VariantRegistry)).init === "checkpoint");
  let pretrained: StudySettings["pretrained"] = null;
  if (needsCheckpoint) {
    if (o.pretrained === undefined && !budget.bundledCheckpoint) throw new Error(`budget "${budget.id}" needs --pretrained <2D checkpoint> (the bundled one is a tiny model for the quick budget)`);
    const file = o.pretrained === undefined ? BUNDLED_CHECKPOINT : resolve(o.pretrained);
    if (!existsSync(file)) throw new Error(`${file}: pre-trained checkpoint not found${o.pretrained === undefined ? " (re-create it with apps/bench/scripts/pretrain-2d.ts)" : ""}`);
    pretrained = { file, sha256: sha256File(file) };
  }
  const seed = o.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer (got ${o.seed})`);
  if (o.steps !== undefined && !(Number.isInteger(o.steps) && o.steps >= 1)) throw new Error(`--steps must be a positive integer (got ${o.steps})`);
  return { format: STUDY_FORMAT, budget: budget.id, datasets, variants, strategies, seed, splitSeed: 1234, pretrained, root: o.root ? resolve(o.root) : null, steps: o.steps ?? null };
}

/**
 * `transseg-bench run`: trains and evaluates every job of the matrix (or of one shard) into
 * `out`, skipping jobs already finished there, then writes results.json, results.md and
 * report.html from all finished jobs of the folder.
 */
export async function runStudy(o: RunStudyOptions): Promise<RunStudyResult> {
  const start = performance.now();
  const log = o.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const reg = o.registries ?? {};
  const settings = studySettings(o);
  mkdirSync(o.out, { recursive: true });
  if (existsSync(join(o.out, STUDY_FILE)) && studyIdentity(readSettings(o.out)) !== studyIdentity(settings)) {
    throw new Error(`${join(o.out, STUDY_FILE)}: the folder holds a different study (other datasets, variants, budget, seed or checkpoint); choose another -o`);
  }
  writeJsonAtomic(join(o.out, STUDY_FILE), settings);
  const all = buildJobs(settings, reg);
  const jobs = o.shard ? shardJobs(all, o.shard) : all;
  const budget = resolveId("budget", settings.budget, reg.budgets ?? builtinBudgets);
  const backend = await initBackend((o.backend ?? "auto") as "auto", o.threads ? { threads: o.threads } : {});
  log(`study: ${jobs.length} of ${all.length} jobs${o.shard ? ` (shard ${o.shard.index}/${o.shard.count})` : ""}, budget ${budget.id}, backend ${backend.description.split(";")[0]}`);
  const ran: string[] = [];
  const reused: string[] = [];
  for (const [i, job] of jobs.entries()) {
    if (readJobFile(o.out, job.key)) {
      reused.push(job.key);
      log(`[${i + 1}/${jobs.length}] ${job.key}: finished earlier, kept`);
      continue;
    }
    const t = performance.now();
    const variant = resolveId("variant", job.variant, reg.variants ?? builtinVariants);
    const profile = getProfile(job.dataset, reg.profiles ?? builtinProfiles);
    const f = await runJob(job, { out: o.out, settings, budget, variant, profile, backend: backend.description.split(";")[0]!, log });
    ran.push(job.key);
    const md = f.result.meanDice;
    log(`[${i + 1}/${jobs.length}] ${job.key}: Dice ${md === null ? "–" : (100 * md).toFixed(2)} %, ${f.result.steps} steps, ${((performance.now() - t) / 1000).toFixed(0)} s`);
    writeOutputs(o.out, reg);
  }
  const results = writeOutputs(o.out, reg);
  return { results, ran, reused, seconds: (performance.now() - start) / 1000 };
}
