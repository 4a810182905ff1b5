import { oneLine } from "./one-line.js";

/** A problem with an input file: the message names the file and what is wrong, on one line (CLI exit code 2). */
export class CheckpointError extends Error {
  override readonly name = "CheckpointError";
  /** What is wrong, as one printable line (quoted input is escaped and shortened). */
  readonly problem: string;
  constructor(
    readonly file: string,
    problem: string,
  ) {
    const line = oneLine(problem);
    super(`${file}: ${line}`);
    this.problem = line;
  }
}

/** Tensor names that fit no source layout, or an adapter that cannot map some names (CLI exit code 2). */
export class LayoutError extends Error {
  override readonly name = "LayoutError";
}
