/** A problem with a volume file: the message names the file and what is wrong, on one line. */
export class VolumeError extends Error {
  override readonly name = "VolumeError";
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}
