import { unknownIdMessage } from "@transseg/weights/messages";

/**
 * Exit code of a command stopped by SIGINT, SIGTERM or SIGUSR1 after saving its state (sysexits'
 * EX_TEMPFAIL: "try again later" — `train --resume` continues where it stopped).
 */
export const EXIT_INTERRUPTED = 75;

/** Bad usage or bad input: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Error classes of the packages that mean "bad input" (exit code 2), matched by name. */
const INPUT_ERRORS = new Set(["UsageError", "CheckpointError", "LayoutError", "VolumeError", "DatasetError", "ConfigError", "BackendUnavailableError", "DeviceUnavailableError", "UnknownIdError", "PluginError"]);

export function isInputError(e: unknown): boolean {
  // By name, not instanceof: a package may be loaded twice (sources and dist, or two realms).
  return typeof e === "object" && e !== null && INPUT_ERRORS.has(String((e as { name?: unknown }).name));
}

/** `unknown <what> "x": did you mean "y"? (known: a, b, c)`, as a usage error (exit code 2). */
export function unknownChoice(what: string, value: string, valid: readonly string[]): UsageError {
  return new UsageError(unknownIdMessage(what, value, valid));
}
