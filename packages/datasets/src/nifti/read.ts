import { close, closeSync, fstat, fstatSync, open, openSync, read, readSync, type Stats } from "node:fs";
import { decodeNifti } from "./decode.js";
import { VolumeError } from "./errors.js";
import { gunzipNifti, gunzipNiftiSync, isGzip } from "./gunzip.js";
import { parseNiftiHeader, sniffNifti } from "./header.js";
import { planVolume, type NiftiReadOptions } from "./limits.js";
import type { Volume } from "./volume.js";

/** Bytes read first: enough for either header, so limits are checked before the whole file is read. */
const HEAD = 540;

function notGzip(bytes: Uint8Array, file: string): void {
  // A .gz name with neither gzip magic nor a NIfTI header: say both.
  if (/\.gz$/i.test(file) && bytes.length >= 4) {
    const v = new DataView(bytes.buffer, bytes.byteOffset, 4);
    const s = [v.getInt32(0, true), v.getInt32(0, false)];
    if (!s.some((x) => x === 348 || x === 540)) throw new VolumeError(file, "neither gzip data (bad gzip magic) nor a NIfTI header");
  }
}

/** For an uncompressed file: refuses a header past the limits before the voxels are read. */
function checkHead(head: Uint8Array, file: string, options: NiftiReadOptions): void {
  if (isGzip(head)) return;
  notGzip(head, file);
  const kind = sniffNifti(head);
  if (kind && head.length >= (kind.version === 1 ? 348 : 540)) planVolume(parseNiftiHeader(head, file), file, options);
}

/**
 * Parses a NIfTI-1/2 file held in memory (`.nii` bytes or gzip-compressed `.nii.gz` bytes,
 * detected by magic). `name` is used in error messages. The caller's bytes are never modified;
 * uncompressed input may be viewed (not copied) by the returned volume.
 */
export function parseNifti(bytes: Uint8Array, name: string, options: NiftiReadOptions = {}): Volume {
  if (isGzip(bytes)) return decodeNifti(gunzipNiftiSync(bytes, name, options), name, true, options);
  notGzip(bytes, name);
  return decodeNifti(bytes, name, false, options);
}

const call = <T>(f: (cb: (err: NodeJS.ErrnoException | null, value: T) => void) => void) =>
  new Promise<T>((resolve, reject) => f((err, value) => (err ? reject(err) : resolve(value))));

const cannotRead = (path: string, e: unknown) => new VolumeError(path, `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);

/**
 * The whole file in one buffer with one read call per 2 GiB, after `check` has seen its first
 * bytes. (fs.readFile reads 512 KiB at a time, and FileHandle#read measured ~25 ms slower per
 * 100 MB than the callback fs.read.)
 */
async function readWhole(path: string, check: (head: Uint8Array) => void): Promise<Uint8Array> {
  let fd: number;
  try {
    fd = await call<number>((cb) => open(path, "r", cb));
  } catch (e) {
    throw cannotRead(path, e);
  }
  try {
    const size = (await call<Stats>((cb) => fstat(fd, cb))).size;
    const head = Buffer.alloc(Math.min(size, HEAD));
    if (head.length) await call<number>((cb) => read(fd, head, 0, head.length, 0, cb));
    check(head);
    const out = Buffer.allocUnsafeSlow(size);
    let done = 0;
    while (done < size) {
      const n = await call<number>((cb) => read(fd, out, done, Math.min(size - done, 2 ** 31 - 4096), done, cb));
      if (n === 0) break;
      done += n;
    }
    return done === size ? out : out.subarray(0, done);
  } catch (e) {
    throw e instanceof VolumeError ? e : cannotRead(path, e);
  } finally {
    await call<void>((cb) => close(fd, (err) => cb(err, undefined)));
  }
}

function readWholeSync(path: string, check: (head: Uint8Array) => void): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw cannotRead(path, e);
  }
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, HEAD));
    if (head.length) readSync(fd, head, 0, head.length, 0);
    check(head);
    const out = Buffer.allocUnsafeSlow(size);
    let done = 0;
    while (done < size) {
      const n = readSync(fd, out, done, Math.min(size - done, 2 ** 31 - 4096), done);
      if (n === 0) break;
      done += n;
    }
    return done === size ? out : out.subarray(0, done);
  } catch (e) {
    throw e instanceof VolumeError ? e : cannotRead(path, e);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a `.nii` or `.nii.gz` file (gzip is inflated by node's native zlib off the main thread,
 * never past what the header needs). Headers claiming more than `options.maxVoxels` voxels
 * (default 2^31) are refused before the voxels are read or inflated.
 */
export async function readNifti(path: string, options: NiftiReadOptions = {}): Promise<Volume> {
  const bytes = await readWhole(path, (head) => checkHead(head, path, options));
  if (isGzip(bytes)) return decodeNifti(await gunzipNifti(bytes, path, options), path, true, options);
  return decodeNifti(bytes, path, true, options);
}

/**
 * `readNifti` for a caller about to keep this thread busy: the file is read before this returns
 * (synchronously) and its inflation is already running on libuv's thread pool, so it proceeds
 * while this thread computes; the promise settles with the volume (or the same one-line
 * `VolumeError` as `readNifti`, never thrown synchronously). With `readNifti` every step of the
 * read (open, stat, reads, close, then the inflation) waits for a turn of this thread.
 */
export function startReadNifti(path: string, options: NiftiReadOptions = {}): Promise<Volume> {
  try {
    const bytes = readWholeSync(path, (head) => checkHead(head, path, options));
    if (!isGzip(bytes)) return Promise.resolve().then(() => decodeNifti(bytes, path, true, options));
    return gunzipNifti(bytes, path, options).then((raw) => decodeNifti(raw, path, true, options));
  } catch (e) {
    return Promise.reject(e as Error);
  }
}

/** Synchronous `readNifti`. */
export function readNiftiSync(path: string, options: NiftiReadOptions = {}): Volume {
  const bytes = readWholeSync(path, (head) => checkHead(head, path, options));
  if (isGzip(bytes)) return decodeNifti(gunzipNiftiSync(bytes, path, options), path, true, options);
  return decodeNifti(bytes, path, true, options);
}
