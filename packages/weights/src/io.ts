import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** Reads `length` bytes at `offset` of `path` into a fresh, 8-byte aligned buffer. */
export function readRange(path: string, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(new ArrayBuffer(length));
  const fd = openSync(path, "r");
  try {
    let done = 0;
    while (done < length) {
      const n = readSync(fd, out, done, length - done, offset + done);
      if (n === 0) throw new Error(`unexpected end of file at byte ${offset + done}`);
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

export function fileSize(path: string): number {
  const fd = openSync(path, "r");
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}
