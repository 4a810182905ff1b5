import type { Command } from "../command.js";
import { datasetsCommand } from "./datasets.js";
import { evalCommand } from "./eval.js";
import { exportCommand } from "./export.js";
import { flopsCommand } from "./flops.js";
import { inflateCommand } from "./inflate.js";
import { infoCommand } from "./info.js";
import { inspectCommand } from "./inspect.js";
import { predictCommand } from "./predict.js";
import { synthCommand } from "./synth.js";
import { trainCommand } from "./train.js";

/** The built-in commands, in the order `transseg --help` lists them. */
export const builtinCommands = {
  inspect: inspectCommand,
  inflate: inflateCommand,
  info: infoCommand,
  synth: synthCommand,
  datasets: datasetsCommand,
  train: trainCommand,
  predict: predictCommand,
  export: exportCommand,
  eval: evalCommand,
  flops: flopsCommand,
} as const satisfies Record<string, Command>;
