import { parseArgs } from "node:util";
import { flag } from "./args.js";
import type { Command } from "./command.js";
import { commandLoaders, loadAllCommands, loadCommand } from "./commands/lazy.js";
import { EXIT_INTERRUPTED, isInputError, unknownChoice, UsageError } from "./errors.js";
import { processIO, type CliIO } from "./io.js";

const GLOBAL_OPTIONS = {
  help: { type: "boolean", short: "h" },
  debug: { type: "boolean" },
} as const;

function helpText(commands: Readonly<Record<string, Command>>): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.values(commands).map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: transseg <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun 'transseg <command> --help' for a command's options. Exit codes: 0 ok, 2 bad input or usage, 1 anything else,\n${EXIT_INTERRUPTED} interrupted after saving (train: SIGINT, SIGTERM or SIGUSR1; continue with --resume).\n`;
}

/**
 * Runs the CLI; returns the exit code (0 ok, 2 bad input or usage, 1 anything else, 75 interrupted after saving).
 * Without `commands`, the built-in commands, each loaded only when it runs (commands/lazy.ts).
 */
export async function main(argv: readonly string[], io: CliIO = processIO, commands?: Readonly<Record<string, Command>>): Promise<number> {
  const debug = argv.includes("--debug");
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      io.stdout(helpText(commands ?? (await loadAllCommands())));
      return name === undefined ? 2 : 0;
    }
    if (name === "--version") {
      io.stdout("0.1.0\n");
      return 0;
    }
    const command = commands ? (Object.hasOwn(commands, name) ? commands[name] : undefined) : await loadCommand(name);
    if (!command) throw unknownChoice("command", name, Object.keys(commands ?? commandLoaders));
    let parsed;
    try {
      parsed = parseArgs({ args: [...rest], options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError(`${name}: ${(e as Error).message.split("\n")[0]}`);
    }
    if (flag(parsed, "help")) {
      io.stdout(`${command.usage}\n`);
      return 0;
    }
    return (await command.run(parsed, io)) ?? 0;
  } catch (e) {
    const err = e as Error;
    if (debug) io.stderr(`${err.stack ?? err}\n`);
    const message = (err?.message ?? String(e)).split("\n")[0];
    io.stderr(`transseg: ${message}\n`);
    return isInputError(e) ? 2 : 1;
  }
}
