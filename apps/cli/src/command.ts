import type { ParseArgsConfig } from "node:util";
import type { CliIO } from "./io.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: readonly string[];
}

/** One CLI command: one file each under `commands/`, registered in `commands/index.ts`. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Usage lines shown by `transseg <name> --help` and in the README. */
  readonly usage: string;
  readonly options: OptionSpec;
  /** Resolves to the exit code, or to nothing for 0 (failures throw). */
  run(args: ParsedArgs, io: CliIO): Promise<void | number>;
}
