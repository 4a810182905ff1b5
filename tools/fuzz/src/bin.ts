#!/usr/bin/env node
/**
 * `pnpm fuzz [--budget 20000] [--seed 1] [--target nifti,npy] [--from n] [--timeout 10] [--save dir]`:
 * fuzzes every reader and prints, per reader, inputs tried, read ok, clean errors and anything
 * else (which must be 0; the exit code is 1 otherwise).
 */
import { parseArgs } from "node:util";
import { formatReports, runFuzz } from "./run-fuzz.js";

const { values } = parseArgs({
  options: { budget: { type: "string" }, seed: { type: "string" }, target: { type: "string" }, from: { type: "string" }, timeout: { type: "string" }, save: { type: "string" }, quiet: { type: "boolean" } },
  strict: true,
});
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
