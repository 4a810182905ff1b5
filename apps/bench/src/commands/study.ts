import type { BenchCommand } from "../command.js";
import { STUDY_USAGE, studyCommand } from "../study/cli.js";

/** `run`, `merge` and `plan`: the study's commands share their usage (study/cli.ts). */
function study(name: "run" | "merge" | "plan"): BenchCommand {
  return {
    name,
    overview: name === "run" ? STUDY_USAGE : "",
    usage: `Usage: transseg-bench ${name} [options]\n\n${STUDY_USAGE}`,
    run: (argv) => studyCommand(name, argv),
  };
}

export const runCommand = study("run");
export const mergeCommand = study("merge");
export const planCommand = study("plan");
