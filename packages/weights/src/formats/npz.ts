/**
 * NumPy `.npz` archives (np.savez / np.savez_compressed): a zip of `.npy` members, e.g. JAX /
 * big_vision ViT checkpoints with `/`-separated names. Each member is one tensor named after
 * its path without `.npy`; values are read lazily (stored members by offset, deflated ones
 * inflated on demand).
 */
import { CheckpointError } from "../errors.js";
import type { Checkpoint, CheckpointFormat } from "../format.js";
import type { TensorEntry } from "../tensor.js";
import { entryDataOffset, looksLikeZip, readEntryHead, readEntryRange, readZipDirectory, type ZipDirectory } from "../zip/zip-reader.js";
import { decodeNpyData, npyBytesNeeded } from "./npy-array.js";
import { npyHeaderSize, parseNpyHeader } from "./npy-header.js";

export function readNpz(path: string): Checkpoint {
  const zip = readZipDirectory(path);
  const tensors = new Map<string, TensorEntry>();
  for (const entry of zip.entries.values()) {
    if (entry.name.endsWith("/")) continue; // folders
    if (!entry.name.endsWith(".npy")) throw new CheckpointError(path, `npz member "${entry.name}" is not a .npy array`);
    const name = entry.name.slice(0, -4);
    const start = entryDataOffset(zip, entry);
    const fail = (msg: string): never => { throw new CheckpointError(path, `npz member "${entry.name}": ${msg}`); };
    let header;
    try {
      if (entry.size < 12) fail("too short for a .npy header");
      const headLen = npyHeaderSize(readEntryHead(zip, entry, start, 12));
      if (headLen > entry.size) fail(`.npy header length ${headLen} does not fit the member (${entry.size} bytes)`);
      header = parseNpyHeader(readEntryHead(zip, entry, start, headLen));
    } catch (e) {
      if (e instanceof CheckpointError) throw e;
      return fail((e as Error).message);
    }
    const h = header;
    const need = npyBytesNeeded(h);
    if (h.dataOffset + need > entry.size) fail(`${h.dtype}[${h.shape.join(", ")}] needs ${need} bytes but the member holds ${entry.size - h.dataOffset}: truncated?`);
    tensors.set(name, {
      dtype: h.dtype,
      shape: Object.freeze([...h.shape]),
      read: () => decodeNpyData(h, readEntryRange(zip, entry, start, h.dataOffset, need)),
    });
  }
  return { format: "npz", tensors, metadata: {} };
}

function isNpz(path: string): boolean {
  let zip: ZipDirectory;
  try {
    zip = readZipDirectory(path);
  } catch {
    return false;
  }
  const names = [...zip.entries.keys()].filter((n) => !n.endsWith("/"));
  return names.length > 0 && names.every((n) => n.endsWith(".npy"));
}

export const npzFormat = {
  id: "npz",
  description: "NumPy .npz archive of .npy arrays (stored or deflated; JAX / big_vision checkpoints)",
  extensions: [".npz"],
  sniff: (head: Uint8Array, path: string) => looksLikeZip(head) && isNpz(path),
  read: readNpz,
} as const satisfies CheckpointFormat;
