/** A backend cannot run on this machine; `message` is one line saying why and what to install. */
export class BackendUnavailableError extends Error {
  override readonly name = "BackendUnavailableError";
  constructor(
    readonly backend: string,
    readonly reason: string,
  ) {
    super(`backend "${backend}" is unavailable: ${reason}`);
  }
}

/** First line of an error's message, for one-line reports. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split("\n").find((l) => l.trim() !== "") ?? text).trim().slice(0, 300);
}
