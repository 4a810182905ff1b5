/** A problem with a dataset folder or file: the message names the file and what is wrong. */
export class DatasetError extends Error {
  override readonly name = "DatasetError";
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}
