import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { decodeNifti } from "./decode.js";
import { VolumeError } from "./errors.js";
import { gunzipNifti, gunzipNiftiSync, isGzip } from "./gunzip.js";
import type { Volume } from "./volume.js";

function notGzip(bytes: Uint8Array, file: string): void {
  // A .gz name with neither gzip magic nor a NIfTI header: say both.
  if (/\.gz$/i.test(file) && bytes.length >= 4) {
    const v = new DataView(bytes.buffer, bytes.byteOffset, 4);
    const s = [v.getInt32(0, true), v.getInt32(0, false)];
    if (!s.some((x) => x === 348 || x === 540)) throw new VolumeError(file, "neither gzip data (bad gzip magic) nor a NIfTI header");
  }
}

/**
 * Parses a NIfTI-1/2 file held in memory (`.nii` bytes or gzip-compressed `.nii.gz` bytes,
 * detected by magic). `name` is used in error messages. The caller's bytes are never modified;
 * uncompressed input may be viewed (not copied) by the returned volume.
 */
export function parseNifti(bytes: Uint8Array, name: string): Volume {
  if (isGzip(bytes)) return decodeNifti(gunzipNiftiSync(bytes, name), name, true);
  notGzip(bytes, name);
  return decodeNifti(bytes, name, false);
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new VolumeError(path, `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Reads a `.nii` or `.nii.gz` file (gzip is inflated by node's native zlib off the main thread). */
export async function readNifti(path: string): Promise<Volume> {
  const bytes = await readBytes(path);
  if (isGzip(bytes)) return decodeNifti(await gunzipNifti(bytes, path), path, true);
  notGzip(bytes, path);
  return decodeNifti(bytes, path, true);
}

/** Synchronous `readNifti`. */
export function readNiftiSync(path: string): Volume {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new VolumeError(path, `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (isGzip(bytes)) return decodeNifti(gunzipNiftiSync(bytes, path), path, true);
  notGzip(bytes, path);
  return decodeNifti(bytes, path, true);
}
