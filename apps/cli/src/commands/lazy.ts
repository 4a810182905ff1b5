import type { Command } from "../command.js";

/**
 * The built-in commands by name, each loaded when it runs: `transseg eval …` loads the eval
 * command and what it imports, not every command's packages. Same names, order and objects as
 * `builtinCommands` (commands/index.ts, which loads them all; a test keeps the two equal).
 */
export const commandLoaders = {
  inspect: async () => (await import("./inspect.js")).inspectCommand,
  inflate: async () => (await import("./inflate.js")).inflateCommand,
  info: async () => (await import("./info.js")).infoCommand,
  synth: async () => (await import("./synth.js")).synthCommand,
  datasets: async () => (await import("./datasets.js")).datasetsCommand,
  train: async () => (await import("./train.js")).trainCommand,
  predict: async () => (await import("./predict.js")).predictCommand,
  export: async () => (await import("./export.js")).exportCommand,
  eval: async () => (await import("./eval.js")).evalCommand,
  flops: async () => (await import("./flops.js")).flopsCommand,
} as const satisfies Record<string, () => Promise<Command>>;

/** One built-in command, or undefined for an unknown name. */
export async function loadCommand(name: string): Promise<Command | undefined> {
  return Object.hasOwn(commandLoaders, name) ? commandLoaders[name as keyof typeof commandLoaders]() : undefined;
}

/** Every built-in command, in `transseg --help` order. */
export async function loadAllCommands(): Promise<Record<string, Command>> {
  const entries = await Promise.all(Object.entries(commandLoaders).map(async ([name, load]) => [name, await load()] as const));
  return Object.fromEntries(entries);
}
