import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { formatPerfTable, runPerf } from "./perf.js";
import { builtinSuites } from "./suites/index.js";

const USAGE = `Usage: transseg-bench <command> [options]

Commands:
  perf [--suite a,b] [--quick] [--json <file>]   run the performance suites (${Object.keys(builtinSuites).join(", ")})
                                                 and print one table of ratios against the references
`;

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
    process.stdout.write(USAGE);
    return command === undefined || command === "--help" ? 0 : 2;
  } catch (e) {
    process.stderr.write(`transseg-bench: ${(e as Error).message}\n`);
    return 1;
  }
}
