import type { ParsedArgs } from "../command.js";
import type { CliIO } from "../io.js";
import { describePlugin, loadPlugins, type LoadedPlugins } from "./load-plugins.js";

/** The environment variable scripts set instead of repeating `--plugin`: modules separated by commas. */
export const PLUGINS_ENV = "TRANSSEG_PLUGINS";

/** The option spec of `--plugin` (repeatable), shared by the commands that resolve plugin ids. */
export const PLUGIN_OPTION = { plugin: { type: "string", multiple: true } } as const;

/** The modules to load: TRANSSEG_PLUGINS first (comma-separated), then each `--plugin`, in order. */
export function pluginSpecs(given: string | readonly string[] | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env[PLUGINS_ENV] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const flags = given === undefined ? [] : typeof given === "string" ? [given] : [...given];
  return [...fromEnv, ...flags.map((s) => s.trim()).filter(Boolean)];
}

/** Loads a command's plugins (`--plugin`, TRANSSEG_PLUGINS) and says on stderr what each added. */
export async function commandPlugins(args: ParsedArgs, io: CliIO, quiet = false): Promise<LoadedPlugins> {
  const loaded = await loadPlugins(pluginSpecs(args.values.plugin as string[] | undefined));
  if (!quiet) for (const p of loaded.plugins) io.stderr(`plugin ${describePlugin(p)}\n`);
  return loaded;
}
