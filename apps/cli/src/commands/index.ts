import type { Command } from "../command.js";
import { evalCommand } from "./eval.js";
import { inflateCommand } from "./inflate.js";
import { infoCommand } from "./info.js";
import { inspectCommand } from "./inspect.js";
import { synthCommand } from "./synth.js";

/** The built-in commands, in the order `transseg --help` lists them. */
export const builtinCommands = {
  inspect: inspectCommand,
  inflate: inflateCommand,
  info: infoCommand,
  synth: synthCommand,
  eval: evalCommand,
} as const satisfies Record<string, Command>;
