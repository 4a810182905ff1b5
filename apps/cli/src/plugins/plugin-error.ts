/**
 * A plugin that cannot be used (not found, not importable, or an export that breaks its kind's
 * conformance rules): one line naming the module (as given) and, where it applies, the export.
 * CLI exit code 2.
 */
export class PluginError extends Error {
  override readonly name = "PluginError";
  constructor(
    readonly module: string,
    problem: string,
    readonly exportName?: string,
  ) {
    super(`plugin ${module}: ${exportName === undefined ? "" : `export "${exportName}": `}${problem.split("\n")[0]}`);
  }
}
