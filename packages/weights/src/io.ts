import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { CheckpointError } from "./errors.js";

const cannotRead = (path: string, e: unknown) =>
  e instanceof CheckpointError ? e : new CheckpointError(path, (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);

/** Reads `length` bytes at `offset` of `path` into a fresh, 8-byte aligned buffer (CheckpointError when it cannot). */
export function readRange(path: string, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(new ArrayBuffer(length));
  try {
    const fd = openSync(path, "r");
    try {
      let done = 0;
      while (done < length) {
        const n = readSync(fd, out, done, length - done, offset + done);
        if (n === 0) throw new CheckpointError(path, `unexpected end of file at byte ${offset + done}: truncated?`);
        done += n;
      }
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw cannotRead(path, e);
  }
  return out;
}

export function fileSize(path: string): number {
  try {
    const fd = openSync(path, "r");
    try {
      const st = fstatSync(fd);
      if (st.isDirectory()) throw new CheckpointError(path, "is a folder, not a checkpoint file");
      return st.size;
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw cannotRead(path, e);
  }
}
