import { CheckpointError } from "./errors.js";
import type { Checkpoint, CheckpointFormat } from "./format.js";
import { builtinFormats } from "./formats/index.js";
import { fileSize, readRange } from "./io.js";

export interface ReadCheckpointOptions {
  /** Formats to try (default: the built-in ones). */
  formats?: Readonly<Record<string, CheckpointFormat>>;
}

/** Reads a checkpoint of any known format, chosen by its first bytes (not by its extension). */
export async function readCheckpoint(path: string, options: ReadCheckpointOptions = {}): Promise<Checkpoint> {
  const size = fileSize(path);
  const head = readRange(path, 0, Math.min(64, size));
  const formats = Object.values(options.formats ?? builtinFormats);
  const format = formats.find((f) => f.sniff(head, path));
  if (!format) {
    throw new CheckpointError(path, `unrecognised checkpoint format (known: ${formats.map((f) => f.id).join(", ")})`);
  }
  return await format.read(path);
}
