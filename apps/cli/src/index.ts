export { main } from "./main.js";
export type { Command, ParsedArgs } from "./command.js";
export { builtinCommands } from "./commands/index.js";
export type { CliIO } from "./io.js";
export { describePlugin, loadPlugins, NO_PLUGINS, type LoadedPlugins, type LoadPluginsOptions, type PluginAdditions, type PluginRecord } from "./plugins/load-plugins.js";
export { pluginKinds, type PluginKind, type PluginKindId, type PluginTypes } from "./plugins/kinds.js";
export { PluginError } from "./plugins/plugin-error.js";
export { PLUGIN_OPTION, pluginSpecs, PLUGINS_ENV } from "./plugins/options.js";
