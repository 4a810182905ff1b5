#!/usr/bin/env node
/**
 * `pnpm fuzz [--budget 20000] [--seed 1] [--target nifti,npy] [--from n] [--timeout 10] [--save dir] [--quiet]`:
 * fuzzes every reader and prints, per reader, inputs tried, read ok, clean errors and anything
 * else (which must be 0; the exit code is 1 otherwise).
 */
import { parseArgs } from "node:util";
import { formatReports, runFuzz } from "./run-fuzz.js";

const USAGE = `Usage: pnpm fuzz [--budget 20000] [--seed 1] [--target nifti,npy] [--from n] [--timeout 10] [--save dir] [--quiet]

Mutates valid seed files for every reader and prints, per reader, inputs tried, read ok, clean
errors and anything else (which must be 0; exit code 1 otherwise).

Options:
  --budget <n>     inputs per reader (default 20000)
  --seed <s>       seed of the mutations (default 1)
  --target <list>  readers to fuzz (default: all)
  --from <n>       first input index (replay one input with --budget 1)
  --timeout <s>    seconds before an input counts as a hang (default 10)
  --save <dir>     write the failing inputs there
  --quiet          no progress lines`;

let values: ReturnType<typeof parse>["values"];
function parse() {
  return parseArgs({
    options: { budget: { type: "string" }, seed: { type: "string" }, target: { type: "string" }, from: { type: "string" }, timeout: { type: "string" }, save: { type: "string" }, quiet: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    strict: true,
  });
}
try {
  values = parse().values;
} catch (e) {
  process.stderr.write(`fuzz: ${(e as Error).message.split("\n")[0]}\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const checks = {
  budget: { ok: (n: number) => Number.isInteger(n) && n >= 1, what: "a whole number ≥ 1" },
  from: { ok: (n: number) => Number.isInteger(n) && n >= 0, what: "a whole number ≥ 0" },
  timeout: { ok: (n: number) => n > 0, what: "a number of seconds > 0" },
} as const;
for (const [name, check] of Object.entries(checks)) {
  const v = values[name as keyof typeof checks];
  if (v !== undefined && !(v.trim() !== "" && check.ok(Number(v)))) {
    process.stderr.write(`fuzz: --${name} must be ${check.what}, got "${v}"\n`);
    process.exit(2);
  }
}
const started = Date.now();
let last = 0;
const reports = await runFuzz({
  ...(values.budget ? { budget: Number(values.budget) } : {}),
  ...(values.seed ? { seed: values.seed } : {}),
  ...(values.target ? { targets: values.target.split(",") } : {}),
  ...(values.from ? { from: Number(values.from) } : {}),
  ...(values.timeout ? { timeoutMs: Number(values.timeout) * 1000 } : {}),
  ...(values.save ? { saveDir: values.save } : {}),
  onProgress: (target, done, total) => {
    if (values.quiet || (Date.now() - last < 10_000 && done < total)) return;
    last = Date.now();
    process.stderr.write(`${target}: ${done}/${total} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  },
});
process.stdout.write(formatReports(reports));
process.stdout.write(`${((Date.now() - started) / 1000).toFixed(0)} s\n`);
process.exitCode = reports.some((r) => r.other > 0 || r.seedProblems.length > 0) ? 1 : 0;
