import { close, fstat, open, read, readFileSync, type Stats } from "node:fs";
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

const call = <T>(f: (cb: (err: NodeJS.ErrnoException | null, value: T) => void) => void) =>
  new Promise<T>((resolve, reject) => f((err, value) => (err ? reject(err) : resolve(value))));

/**
 * The whole file in one buffer with one read call per 2 GiB. (fs.readFile reads 512 KiB at a
 * time, and FileHandle#read measured ~25 ms slower per 100 MB than the callback fs.read.)
 */
async function readWhole(path: string): Promise<Uint8Array> {
  const fd = await call<number>((cb) => open(path, "r", cb));
  try {
    const size = (await call<Stats>((cb) => fstat(fd, cb))).size;
    const out = Buffer.allocUnsafeSlow(size);
    let done = 0;
    while (done < size) {
      const n = await call<number>((cb) => read(fd, out, done, Math.min(size - done, 2 ** 31 - 4096), done, cb));
      if (n === 0) break;
      done += n;
    }
    return done === size ? out : out.subarray(0, done);
  } finally {
    await call<void>((cb) => close(fd, (err) => cb(err, undefined)));
  }
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readWhole(path);
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
