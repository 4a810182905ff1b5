/** Bad usage or bad input: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Error classes of the packages that mean "bad input" (exit code 2), matched by name. */
const INPUT_ERRORS = new Set(["UsageError", "CheckpointError", "LayoutError", "VolumeError", "DatasetError", "ConfigError", "BackendUnavailableError"]);

export function isInputError(e: unknown): boolean {
  return e instanceof Error && INPUT_ERRORS.has(e.name);
}

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/** `unknown <what> "x" (did you mean "y"?); valid: a, b, c` */
export function unknownChoice(what: string, value: string, valid: readonly string[]): UsageError {
  const nearest = [...valid].sort((p, q) => distance(value, p) - distance(value, q))[0];
  const hint = nearest !== undefined ? ` (did you mean "${nearest}"?)` : "";
  return new UsageError(`unknown ${what} "${value}"${hint}; valid: ${valid.join(", ")}`);
}
