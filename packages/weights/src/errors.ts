/** A problem with an input file: the message names the file and what is wrong (CLI exit code 2). */
export class CheckpointError extends Error {
  override readonly name = "CheckpointError";
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** Tensor names that fit no source layout, or an adapter that cannot map some names (CLI exit code 2). */
export class LayoutError extends Error {
  override readonly name = "LayoutError";
}
