import { oneLine } from "./one-line.js";

/** A problem with a dataset folder or file: the message names the file and what is wrong, on one line. */
export class DatasetError extends Error {
  override readonly name = "DatasetError";
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
