import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runDemo } from "./demo.js";
import { formatPerfTable, runPerf } from "./perf.js";
import { STUDY_USAGE, studyCommand } from "./study/cli.js";
import { builtinSuites } from "./suites/index.js";

const USAGE = `Usage: transseg-bench <command> [options]

Commands:
  perf [--suite a,b] [--quick] [--json <file>]   run the performance suites (${Object.keys(builtinSuites).join(", ")})
                                                 and print one table of ratios against the references
  demo [-o <dir>] [--steps n] [--backend auto]   synthesize a dataset, train briefly, predict, evaluate
                                                 and print a Dice / HD95 table (default dir: demo-output)
${STUDY_USAGE}`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === "perf") {
      const { values } = parseArgs({ args: [...rest], options: { suite: { type: "string" }, quick: { type: "boolean" }, json: { type: "string" } }, strict: true });
      const rows = await runPerf({ suites: builtinSuites, only: values.suite?.split(","), quick: values.quick ?? false });
      process.stdout.write(formatPerfTable(rows));
      if (values.json) writeFileSync(values.json, `${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    if (command === "demo") {
      const { values } = parseArgs({ args: [...rest], options: { output: { type: "string", short: "o" }, steps: { type: "string" }, backend: { type: "string" }, task: { type: "string" } }, strict: true });
      const result = await runDemo({
        out: values.output ?? "demo-output",
        ...(values.steps ? { steps: Number(values.steps) } : {}),
        ...(values.backend ? { backend: values.backend } : {}),
        ...(values.task ? { task: values.task } : {}),
      });
      process.stdout.write(`${result.table}\n\nrun folder: ${result.runDir}\ndemo finished in ${result.seconds.toFixed(0)} s\n`);
      return 0;
    }
    if (command === "run" || command === "merge" || command === "plan") return await studyCommand(command, rest);
    process.stdout.write(USAGE);
    return command === undefined || command === "--help" ? 0 : 2;
  } catch (e) {
    process.stderr.write(`transseg-bench: ${(e as Error).message}\n`);
    return 1;
  }
}
