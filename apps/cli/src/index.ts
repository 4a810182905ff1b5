export { main } from "./main.js";
export type { Command, ParsedArgs } from "./command.js";
export { builtinCommands } from "./commands/index.js";
export type { CliIO } from "./io.js";
