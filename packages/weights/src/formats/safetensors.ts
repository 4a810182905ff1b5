import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { CheckpointError } from "../errors.js";
import type { Checkpoint, CheckpointFormat } from "../format.js";
import { fileSize, readRange } from "../io.js";
import { DTYPE_BYTES, numel, type DType, type TensorEntry, type TensorMap } from "../tensor.js";
import { viewAs } from "../typed-arrays.js";
import { writeFailure } from "../write-failure.js";

const MAX_HEADER = 100 * 1024 * 1024;

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** `__metadata__` is an object of strings (as in the format's specification); null counts as empty. */
function checkMetadata(value: unknown, path: string): Record<string, string> {
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new CheckpointError(path, `safetensors __metadata__ is ${Array.isArray(value) ? "an array" : `a ${typeof value}`}, not an object of strings`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw new CheckpointError(path, `safetensors __metadata__ "${k}" is ${v === null ? "null" : Array.isArray(v) ? "an array" : `a ${typeof v}`}, not a string`);
  }
  return value as Record<string, string>;
}

/** Parses the JSON header of a safetensors file; validates every entry against the file size. */
export function readSafetensorsHeader(path: string): { tensors: Map<string, { dtype: DType; shape: number[]; begin: number; end: number }>; metadata: Record<string, string>; dataStart: number } {
  const size = fileSize(path);
  if (size < 8) throw new CheckpointError(path, `not a safetensors file (${size} bytes, too short for a header)`);
  const lenBytes = readRange(path, 0, 8);
  const headerLen = Number(new DataView(lenBytes.buffer).getBigUint64(0, true));
  if (headerLen > MAX_HEADER || 8 + headerLen > size) {
    throw new CheckpointError(path, `safetensors header length ${headerLen} does not fit the file (${size} bytes)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(readRange(path, 8, headerLen)));
  } catch (e) {
    throw new CheckpointError(path, `safetensors header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CheckpointError(path, `safetensors header is ${parsed === null ? "null" : Array.isArray(parsed) ? "an array" : `a ${typeof parsed}`}, not an object of tensors`);
  }
  const header = parsed as Record<string, unknown>;
  const dataStart = 8 + headerLen;
  const dataSize = size - dataStart;
  const tensors = new Map<string, { dtype: DType; shape: number[]; begin: number; end: number }>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = checkMetadata(value, path);
      continue;
    }
    const e = value as HeaderEntry;
    if (!e || typeof e.dtype !== "string" || !Array.isArray(e.shape) || !Array.isArray(e.data_offsets)) {
      throw new CheckpointError(path, `tensor "${name}" has a malformed header entry`);
    }
    if (!(e.dtype in DTYPE_BYTES)) throw new CheckpointError(path, `tensor "${name}" has unsupported dtype ${e.dtype}`);
    const dtype = e.dtype as DType;
    const [begin, end] = e.data_offsets;
    if (!e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new CheckpointError(path, `tensor "${name}" has an invalid shape [${e.shape.join(", ")}]`);
    const want = numel(e.shape) * DTYPE_BYTES[dtype];
    if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < begin || end - begin !== want) {
      throw new CheckpointError(path, `tensor "${name}" declares ${end - begin} bytes but ${dtype}[${e.shape.join(", ")}] needs ${want}`);
    }
    if (end > dataSize) throw new CheckpointError(path, `tensor "${name}" ends at byte ${dataStart + end}, past the end of the file (${size} bytes): truncated?`);
    tensors.set(name, { dtype, shape: e.shape, begin, end });
  }
  return { tensors, metadata, dataStart };
}

export function readSafetensors(path: string): Checkpoint {
  const { tensors, metadata, dataStart } = readSafetensorsHeader(path);
  const map = new Map<string, TensorEntry>();
  for (const [name, t] of tensors) {
    const shape = Object.freeze([...t.shape]);
    map.set(name, {
      dtype: t.dtype,
      shape,
      read() {
        const bytes = readRange(path, dataStart + t.begin, t.end - t.begin);
        return viewAs(t.dtype, bytes);
      },
    });
  }
  return { format: "safetensors", tensors: map, metadata };
}

export const safetensorsFormat = {
  id: "safetensors",
  description: "Hugging Face safetensors (8-byte header length, JSON header, raw little-endian data)",
  extensions: [".safetensors"],
  sniff(head: Uint8Array) {
    if (head.length < 10) return false;
    // u64 little-endian header length followed by a JSON object.
    const hi = head[4]! | head[5]! | head[6]! | head[7]!;
    return hi === 0 && head[8] === 0x7b; // '{'
  },
  read: readSafetensors,
} as const satisfies CheckpointFormat;

export interface WriteSafetensorsOptions {
  metadata?: Record<string, string>;
  /**
   * fsync before the rename, so the file survives a power loss (slower for large files). The
   * write is atomic either way: a crash or kill leaves the old file or none, never a partial one.
   */
  durable?: boolean;
  /** Called after each tensor is written (for progress reports). */
  onTensor?: (name: string, index: number, total: number, bytes: number) => void;
}

/**
 * Writes a safetensors file atomically (temporary file in the same folder, then rename),
 * reading one tensor at a time so lazy inputs are streamed. Tensors are written in name order.
 */
export function writeSafetensors(path: string, tensors: TensorMap, options: WriteSafetensorsOptions = {}): void {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (options.metadata && Object.keys(options.metadata).length) header.__metadata__ = options.metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    const bytes = numel(t.shape) * DTYPE_BYTES[t.dtype];
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20); // space-padded: data stays 8-byte aligned
  headerBytes.set(json);
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(headerBytes.length), true);

  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, "w");
  } catch (e) {
    throw writeFailure(path, e);
  }
  try {
    writeSync(fd, prefix);
    writeSync(fd, headerBytes);
    names.forEach((name, i) => {
      const t = tensors.get(name)!;
      const data = t.read();
      const want = numel(t.shape);
      if (data.length !== want) throw new Error(`tensor "${name}": read ${data.length} elements, shape needs ${want}`);
      const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      let done = 0;
      while (done < view.length) done += writeSync(fd, view, done, view.length - done);
      options.onTensor?.(name, i, names.length, view.length);
    });
    if (options.durable) fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (e) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(tmp, { force: true });
    throw isWriteError(e) ? writeFailure(path, e) : e;
  }
}

/** An error of the file system (ENOSPC, EIO, ...), not one of the tensors. */
const isWriteError = (e: unknown) => typeof (e as NodeJS.ErrnoException)?.code === "string" && typeof (e as NodeJS.ErrnoException).syscall === "string";
