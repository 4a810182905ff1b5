import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { BenchCommand } from "../command.js";
import { formatPerfTable, runPerf } from "../perf.js";
import { builtinSuites } from "../suites/index.js";

const suites = Object.keys(builtinSuites).join(", ");

export const perfCommand: BenchCommand = {
  name: "perf",
  overview: `  perf [--suite a,b] [--quick] [--json <file>]   run the performance suites (${suites})
                                                 and print one table of ratios against the references
`,
  usage: `Usage: transseg-bench perf [--suite a,b] [--quick] [--json <file>]

Runs the performance suites and prints one table: each of our measurements beside its reference
(PyTorch, scipy, nibabel …) measured in the same run, the ratio and whether the target was met.

Options:
  --suite a,b      only these suites (${suites})
  --quick          smaller sizes (a smoke run; targets are not judged)
  --json <file>    also write the rows as JSON
`,
  async run(argv) {
    const { values } = parseArgs({ args: [...argv], options: { suite: { type: "string" }, quick: { type: "boolean" }, json: { type: "string" } }, strict: true });
    const rows = await runPerf({ suites: builtinSuites, only: values.suite?.split(","), quick: values.quick ?? false });
    process.stdout.write(formatPerfTable(rows));
    if (values.json) writeFileSync(values.json, `${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  },
};
