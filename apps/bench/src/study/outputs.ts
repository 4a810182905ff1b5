import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic, writeJsonAtomic } from "./atomic.js";
import { builtinBudgets } from "./budgets.js";
import { buildJobs, resolveBudget, STUDY_FORMAT, type StudyRegistries, type StudySettings } from "./jobs.js";
import { canonicalJson, studyDesign } from "./design.js";
import { resultsMarkdown } from "./markdown.js";
import { reportHtml } from "./report.js";
import { JOB_FORMAT, jobFileName, RESULTS_FORMAT, type JobFile, type StudyResults } from "./results.js";
import { compareColumns, summarize } from "./summary.js";

export const STUDY_FILE = "study.json";
export const RESULTS_FILE = "results.json";
export const RESULTS_MD = "results.md";
export const REPORT_FILE = "report.html";

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

export function readSettings(dir: string): StudySettings {
  const file = join(dir, STUDY_FILE);
  if (!existsSync(file)) throw new Error(`${file}: not found (not a transseg-bench study folder)`);
  const s = readJson<StudySettings>(file);
  if (s?.format !== STUDY_FORMAT) throw new Error(`${file}: format is ${JSON.stringify(s?.format)}, expected "${STUDY_FORMAT}" (a study of another transseg-bench version; run it again into a new folder)`);
  // fields added within format 2: a study written before them had no plugins, and split its real data by seed
  return { ...s, split: s.split === undefined ? (s.root === null ? null : "seeded") : s.split, plugins: s.plugins ?? [] };
}

/** A job file of a study folder, or null when the job has not finished there. */
export function readJobFile(dir: string, key: string): JobFile | null {
  const file = join(dir, "jobs", jobFileName(key));
  if (!existsSync(file)) return null;
  const j = readJson<JobFile>(file);
  if (j?.format !== JOB_FORMAT || j.result?.key !== key) throw new Error(`${file}: not a "${JOB_FORMAT}" file for job ${key}`);
  return j;
}

/** Settings that must agree for two folders to belong to the same study (checkpoints and plugins by content, not path). */
export function studyIdentity(s: StudySettings): string {
  return canonicalJson({ ...s, sources: s.sources.map(({ file: _file, ...rest }) => rest), plugins: s.plugins.map(({ file: _file, ...rest }) => rest) });
}

/** results.json's content from a study folder's study.json and finished job files. */
export function collectResults(dir: string, registries: StudyRegistries = {}): { results: StudyResults; files: JobFile[] } {
  const settings = readSettings(dir);
  const budget = resolveBudget(settings.budget, registries.budgets ?? builtinBudgets);
  const files: JobFile[] = [];
  const missing: string[] = [];
  for (const job of buildJobs(settings, registries)) {
    const f = readJobFile(dir, job.key);
    if (f) files.push(f);
    else missing.push(job.key);
  }
  const jobs = files.map((f) => f.result);
  const summary = summarize(settings, jobs, registries);
  const results: StudyResults = {
    format: RESULTS_FORMAT,
    settings,
    budget: { ...budget },
    design: studyDesign(settings, registries),
    jobs,
    missing,
    summary,
    comparisons: compareColumns(settings, summary, registries),
  };
  return { results, files };
}

/** (Re)writes results.json, results.md and report.html of a study folder. */
export function writeOutputs(dir: string, registries: StudyRegistries = {}): StudyResults {
  const { results, files } = collectResults(dir, registries);
  writeJsonAtomic(join(dir, RESULTS_FILE), results);
  writeFileAtomic(join(dir, RESULTS_MD), resultsMarkdown(results, registries.profiles));
  writeFileAtomic(join(dir, REPORT_FILE), reportHtml(results, files.map((f) => f.extras), registries.profiles));
  return results;
}
