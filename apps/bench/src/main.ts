import type { BenchCommand } from "./command.js";
import { builtinBenchCommands } from "./commands/index.js";

const USAGE = `Usage: transseg-bench <command> [options]

Commands:
${Object.values(builtinBenchCommands)
  .map((c) => c.overview)
  .join("")}
Run 'transseg-bench <command> --help' for a command's options.
`;

const HELP = new Set(["--help", "-h"]);

/** Runs `transseg-bench`; resolves to the exit code (0 ok, 2 unknown command, 1 anything else). */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || HELP.has(name) || name === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  const commands: Readonly<Record<string, BenchCommand>> = builtinBenchCommands;
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`transseg-bench: unknown command "${name}" (known: ${Object.keys(builtinBenchCommands).join(", ")})\n`);
    process.stdout.write(USAGE);
    return 2;
  }
  if (rest.some((a) => HELP.has(a))) {
    process.stdout.write(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    process.stderr.write(`transseg-bench: ${(e as Error).message}\n`);
    return 1;
  }
}
