/** A single NumPy `.npy` array, exposed as one tensor named after the file (without `.npy`). */
import { basename } from "node:path";
import { CheckpointError } from "../errors.js";
import type { Checkpoint, CheckpointFormat } from "../format.js";
import { fileSize, readRange } from "../io.js";
import type { TensorEntry } from "../tensor.js";
import { decodeNpyData, npyBytesNeeded } from "./npy-array.js";
import { looksLikeNpy, npyHeaderSize, parseNpyHeader, type NpyHeader } from "./npy-header.js";

export function readNpyHeaderFromFile(path: string): NpyHeader {
  const size = fileSize(path);
  if (size < 12) throw new CheckpointError(path, `not a .npy file (${size} bytes)`);
  try {
    const headLen = npyHeaderSize(readRange(path, 0, 12));
    if (headLen > size) throw new Error(`.npy header length ${headLen} does not fit the file (${size} bytes)`);
    const h = parseNpyHeader(readRange(path, 0, headLen));
    const need = npyBytesNeeded(h);
    if (h.dataOffset + need > size) {
      throw new Error(`${h.dtype}[${h.shape.join(", ")}] needs ${need} bytes but the file holds ${size - h.dataOffset} after its header: truncated?`);
    }
    return h;
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    throw new CheckpointError(path, (e as Error).message);
  }
}

export function readNpy(path: string): Checkpoint {
  const h = readNpyHeaderFromFile(path);
  const name = basename(path).replace(/\.npy$/i, "");
  const entry: TensorEntry = {
    dtype: h.dtype,
    shape: Object.freeze([...h.shape]),
    read: () => decodeNpyData(h, readRange(path, h.dataOffset, npyBytesNeeded(h))),
  };
  return { format: "npy", tensors: new Map([[name, entry]]), metadata: {} };
}

export const npyFormat = {
  id: "npy",
  description: "a single NumPy .npy array (little/big endian, C or Fortran order)",
  extensions: [".npy"],
  sniff: (head: Uint8Array) => looksLikeNpy(head),
  read: readNpy,
} as const satisfies CheckpointFormat;
