import type { BenchCommand } from "../command.js";
import { demoCommand } from "./demo.js";
import { perfCommand } from "./perf.js";
import { mergeCommand, planCommand, runCommand } from "./study.js";

/** The `transseg-bench` commands, in the order `transseg-bench --help` lists them. */
export const builtinBenchCommands = {
  perf: perfCommand,
  demo: demoCommand,
  run: runCommand,
  merge: mergeCommand,
  plan: planCommand,
} as const satisfies Record<string, BenchCommand>;
