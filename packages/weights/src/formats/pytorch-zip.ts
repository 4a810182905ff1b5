/**
 * PyTorch `torch.save` zip checkpoints (the default format since torch 1.6): `<dir>/data.pkl`
 * holds the object tree (read with the restricted unpickler), `<dir>/data/<key>` the raw
 * storages. Tensors are views (offset, size, stride) on storages and are read lazily by offset.
 */
import { CheckpointError } from "../errors.js";
import type { Checkpoint, CheckpointFormat } from "../format.js";
import { StorageRef, TensorRef, DTypeMarker, resolveTorchGlobal } from "../pickle/torch-globals.js";
import { PickleTuple, unpickle } from "../pickle/unpickler.js";
import { DTYPE_BYTES, numel, type TensorEntry } from "../tensor.js";
import { gatherStrided, isContiguous, maxStridedIndex, swapBytes, viewAs } from "../typed-arrays.js";
import { entryDataOffset, looksLikeZip, readEntryRange, inflateEntry, readZipDirectory, type ZipDirectory, type ZipEntry } from "../zip/zip-reader.js";

/** Keys under which training scripts nest the state dict, in the order they are tried. */
export const STATE_DICT_KEYS = ["state_dict", "model", "module"] as const;
const MAX_PICKLE = 512 * 1024 * 1024;
/** How deep `state_dict` / `model` / `module` nesting is followed. */
const MAX_NESTING = 8;

function findPickle(zip: ZipDirectory): ZipEntry | undefined {
  for (const e of zip.entries.values()) if (/^([^/]+\/)?data\.pkl$/.test(e.name)) return e;
  return undefined;
}

const hasTensors = (m: Map<unknown, unknown>) => [...m.values()].some((v) => v instanceof TensorRef);

/** The state dict inside a loaded object: the object itself, or nested under `state_dict` / `model` / `module`. */
function pickStateDict(root: unknown, path: string, seen = new Set<unknown>()): Map<unknown, unknown> {
  if (root instanceof Map) {
    seen.add(root);
    for (const key of STATE_DICT_KEYS) {
      const v = root.get(key);
      // a dict that contains itself (memo tricks) is not followed again, nor nesting deeper than any trainer writes
      if (v instanceof Map && !seen.has(v) && seen.size < MAX_NESTING) {
        try { return pickStateDict(v, path, seen); } catch (e) { if (!(e instanceof CheckpointError)) throw e; /* not there: keep looking */ }
      }
    }
    if (hasTensors(root)) return root;
    const keys = [...root.keys()].filter((k) => typeof k === "string").slice(0, 8);
    throw new CheckpointError(path, `no state dict found: no tensors at the top level or under ${STATE_DICT_KEYS.join(" / ")} (top-level keys: ${keys.join(", ") || "none"})`);
  }
  throw new CheckpointError(path, `no state dict found: the checkpoint holds a ${Array.isArray(root) ? "list" : typeof root}, not a dict`);
}

/** Strips leading `module.` (DataParallel / DistributedDataParallel) from a key. */
export function stripModulePrefix(name: string): string {
  let n = name;
  while (n.startsWith("module.")) n = n.slice(7);
  return n;
}

export function readPytorchZip(path: string): Checkpoint {
  const zip = readZipDirectory(path);
  const pkl = findPickle(zip);
  if (!pkl) throw new CheckpointError(path, "zip file without data.pkl: not a torch.save checkpoint");
  if (pkl.size > MAX_PICKLE) throw new CheckpointError(path, `data.pkl is ${pkl.size} bytes, too large for a state dict`);
  const prefix = pkl.name.slice(0, -"data.pkl".length);
  const orderEntry = zip.entries.get(`${prefix}byteorder`);
  let bigEndian = false;
  if (orderEntry) {
    const order = new TextDecoder().decode(inflateEntry(zip, orderEntry, entryDataOffset(zip, orderEntry))).trim();
    if (order !== "little" && order !== "big") throw new CheckpointError(path, `unknown byteorder "${order}"`);
    bigEndian = order === "big";
  }

  const storages = new Map<string, StorageRef>();
  const persistentLoad = (pid: unknown): StorageRef => {
    const items = pid instanceof PickleTuple ? pid.items : [];
    const [kind, type, key, , count] = items;
    if (kind !== "storage" || !(type instanceof DTypeMarker) || typeof key !== "string" || typeof count !== "number" || !Number.isInteger(count) || count < 0) {
      throw new CheckpointError(path, "unexpected persistent id (not a torch storage reference)");
    }
    const known = storages.get(key);
    if (known) return known;
    const entry = zip.entries.get(`${prefix}data/${key}`);
    if (!entry) throw new CheckpointError(path, `storage ${key} is referenced but ${prefix}data/${key} is missing`);
    const bytes = count * DTYPE_BYTES[type.dtype];
    if (bytes > entry.size) {
      throw new CheckpointError(path, `storage ${key} declares ${count} ${type.dtype} elements (${bytes} bytes) but ${entry.name} holds ${entry.size} bytes: truncated?`);
    }
    const ref = new StorageRef(key, type.dtype, count);
    storages.set(key, ref);
    return ref;
  };
  const bytes = inflateEntry(zip, pkl, entryDataOffset(zip, pkl));
  const root = unpickle(bytes, { file: path, resolveGlobal: resolveTorchGlobal, persistentLoad, acceptsState: (o) => o instanceof TensorRef });
  const stateDict = pickStateDict(root, path);

  const offsets = new Map<string, number>();
  const dataOffset = (entry: ZipEntry) => {
    let o = offsets.get(entry.name);
    if (o === undefined) offsets.set(entry.name, (o = entryDataOffset(zip, entry)));
    return o;
  };
  const tensors = new Map<string, TensorEntry>();
  for (const [key, value] of stateDict) {
    if (typeof key !== "string" || !(value instanceof TensorRef)) continue; // _metadata, ints, strings, ...
    const name = stripModulePrefix(key);
    if (tensors.has(name)) throw new CheckpointError(path, `tensor "${name}" appears twice (with and without a module. prefix)`);
    const { storage, offset, stride } = value;
    const shape = Object.freeze([...value.shape]);
    const last = maxStridedIndex(shape, stride);
    if (last >= 0 && offset + last >= storage.numel) {
      throw new CheckpointError(path, `tensor "${key}" [${shape.join(", ")}] at offset ${offset} reaches element ${offset + last} of storage ${storage.key}, which has ${storage.numel}`);
    }
    if (last >= 0 && numel(shape) > storage.numel) {
      // only overlapping (e.g. stride-0, expanded) views have more elements than their storage: read densely they could need far more memory than the file holds
      throw new CheckpointError(path, `tensor "${key}" [${shape.join(", ")}] has ${numel(shape)} elements but its storage ${storage.key} only ${storage.numel}: an expanded (overlapping) view; save it with .contiguous() or .clone()`);
    }
    const dtype = storage.dtype;
    const size = DTYPE_BYTES[dtype];
    const entry = zip.entries.get(`${prefix}data/${storage.key}`)!;
    tensors.set(name, {
      dtype,
      shape,
      read() {
        if (last < 0) return viewAs(dtype, new Uint8Array(0));
        const span = readEntryRange(zip, entry, dataOffset(entry), offset * size, (last + 1) * size);
        const dense = isContiguous(shape, stride) ? span : gatherStrided(span, size, shape, stride);
        if (bigEndian) swapBytes(dense, size);
        return viewAs(dtype, dense);
      },
    });
  }
  return { format: "pytorch-zip", tensors, metadata: {} };
}

function isTorchZip(path: string): boolean {
  try {
    return findPickle(readZipDirectory(path)) !== undefined;
  } catch {
    return true; // a damaged zip: let the reader report what is wrong
  }
}

export const pytorchZipFormat = {
  id: "pytorch-zip",
  description: "PyTorch torch.save zip checkpoint (data.pkl + data/<storage>), read with a restricted unpickler",
  extensions: [".pth", ".pt", ".bin", ".ckpt"],
  sniff: (head: Uint8Array, path: string) => looksLikeZip(head) && isTorchZip(path),
  read: readPytorchZip,
} as const satisfies CheckpointFormat;
