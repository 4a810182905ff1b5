import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PluginRecord } from "@transseg/cli";
import { writeFileAtomic, writeJsonAtomic } from "./atomic.js";
import { buildJobs, type StudyRegistries } from "./jobs.js";
import { readJobFile, readSettings, STUDY_FILE, studyIdentity, writeOutputs } from "./outputs.js";
import { checkStudyPlugins } from "./plugins.js";
import { jobFileName, type StudyResults } from "./results.js";

export interface MergeResult {
  readonly results: StudyResults;
  /** Job key -> the folder its result came from. */
  readonly sources: Readonly<Record<string, string>>;
}

/**
 * `transseg-bench merge`: joins study folders of the same study (e.g. shards) into `out`:
 * copies every finished job file (the first folder that has a job wins), then writes
 * results.json, results.md and report.html. Folders of different studies are refused, and so is a
 * study run with plugins that `plugins` (the loaded ones, whose entries `registries` hold) lacks.
 */
export function mergeStudies(dirs: readonly string[], out: string, registries: StudyRegistries = {}, plugins: readonly PluginRecord[] = []): MergeResult {
  if (dirs.length === 0) throw new Error("merge: give at least one study folder");
  const settings = readSettings(dirs[0]!);
  checkStudyPlugins(settings, plugins, join(dirs[0]!, STUDY_FILE));
  for (const d of dirs.slice(1)) {
    if (studyIdentity(readSettings(d)) !== studyIdentity(settings)) throw new Error(`${join(d, STUDY_FILE)}: a different study than ${join(dirs[0]!, STUDY_FILE)} (datasets, variants, budget, seeds or sources differ)`);
  }
  if (existsSync(join(out, STUDY_FILE)) && studyIdentity(readSettings(out)) !== studyIdentity(settings)) {
    throw new Error(`${join(out, STUDY_FILE)}: the output folder holds a different study; choose another -o`);
  }
  mkdirSync(join(out, "jobs"), { recursive: true });
  if (!existsSync(join(out, STUDY_FILE))) writeJsonAtomic(join(out, STUDY_FILE), settings);
  const sources: Record<string, string> = {};
  for (const job of buildJobs(settings, registries)) {
    for (const d of dirs) {
      if (!readJobFile(d, job.key)) continue;
      const from = join(d, "jobs", jobFileName(job.key));
      const to = join(out, "jobs", jobFileName(job.key));
      if (from !== to && !(existsSync(to) && readFileSync(to).equals(readFileSync(from)))) writeFileAtomic(to, readFileSync(from));
      sources[job.key] = d;
      break;
    }
  }
  return { results: writeOutputs(out, registries), sources };
}
