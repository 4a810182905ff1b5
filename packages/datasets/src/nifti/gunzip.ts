/**
 * Bounded inflation of `.nii.gz` files. The NIfTI header is inflated first, from a short prefix
 * of the stream; the voxel count it claims is checked (`maxVoxels`) and compared with what the
 * compressed bytes can hold at most (deflate expands ≤ 1032:1); then the stream is inflated into
 * one buffer of exactly that size, and inflation stops as soon as it would go past the end of
 * the voxels (plus a small tail). A decompression bomb is refused after a few kilobytes of work,
 * and a forged header never sizes an allocation beyond what the file can hold.
 */
import { constants, gunzip, gunzipSync, type ZlibOptions } from "node:zlib";
import { VolumeError } from "./errors.js";
import { parseNiftiHeader } from "./header.js";
import { planVolume, type NiftiReadOptions } from "./limits.js";

/** Deflate cannot expand more than ~1032:1 (plus the gzip framing). */
const MAX_RATIO = 1032;
/** Inflated bytes tolerated past the voxels (padding some writers leave); more is refused. */
const TAIL = 64 * 1024;
/** Largest inflated prefix kept while looking for the header. */
const PROBE_LIMIT = 64 * 1024;
/** The largest NIfTI header (NIfTI-2). */
const HEADER_BYTES = 540;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function gzipProblem(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === "Z_BUF_ERROR" || /unexpected end/i.test(err.message)) return "truncated gzip data (unexpected end of file)";
  if (err.code === "ERR_BUFFER_TOO_LARGE") return "gzip data decompresses to more than the largest possible buffer";
  return `corrupt gzip data (${err.message})`;
}

/** Inflates the first `n` compressed bytes (a partial stream is fine); "too-large" past PROBE_LIMIT. */
function inflatePrefix(bytes: Uint8Array, n: number, file: string): Buffer | "too-large" {
  try {
    return gunzipSync(bytes.subarray(0, n), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: PROBE_LIMIT });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") return "too-large";
    throw new VolumeError(file, gzipProblem(e));
  }
}

/**
 * At least the first 540 inflated bytes (fewer only when the whole stream is shorter), from the
 * shortest prefix that yields them: doubling from 1 KiB, halving back when a prefix inflates past
 * PROBE_LIMIT (a bomb starts right after its header).
 */
function inflateHead(bytes: Uint8Array, file: string): Buffer {
  let lo = 0;
  let hi = Math.min(bytes.length, 1024);
  for (;;) {
    const out = inflatePrefix(bytes, hi, file);
    if (out === "too-large") {
      // one more byte of deflate data yields ≤ ~1032 bytes: this ends before hi reaches lo + 1
      if (hi - lo <= 1) throw new VolumeError(file, `gzip data inflates past ${PROBE_LIMIT} bytes before a NIfTI header is complete`);
      hi = lo + ((hi - lo) >> 1);
      continue;
    }
    if (out.length >= HEADER_BYTES || hi === bytes.length) return out;
    lo = hi;
    hi = Math.min(bytes.length, hi * 2);
  }
}

/**
 * zlib options that inflate the whole volume into one buffer of the size the header needs, and
 * stop past it. Throws VolumeError for a bad header, too many voxels, or a header claiming more
 * than the compressed bytes can hold. Returns null when the header is not inside the stream's
 * first bytes (a stream shorter than a header: inflate it whole, bounded, and let the decoder
 * say what is wrong).
 */
function boundedOptions(bytes: Uint8Array, file: string, options: NiftiReadOptions): { zlib: ZlibOptions; needed: number } {
  const head = inflateHead(bytes, file);
  if (head.length < 348) return { zlib: { maxOutputLength: PROBE_LIMIT }, needed: 0 };
  const plan = planVolume(parseNiftiHeader(head, file), file, options);
  const canHold = bytes.length * MAX_RATIO + 1024;
  if (plan.bytesNeeded > canHold) {
    throw new VolumeError(file, `header claims ${plan.shape.join("x")} voxels (${plan.bytesNeeded} bytes) but ${bytes.length} bytes of gzip data inflate to at most ${canHold}: truncated file or wrong dims`);
  }
  const limit = plan.bytesNeeded + TAIL;
  return { zlib: { maxOutputLength: limit, chunkSize: Math.max(64, limit + 1) }, needed: plan.bytesNeeded };
}

function inflateProblem(e: unknown, needed: number): string {
  if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" && needed > 0) {
    return `gzip data inflates past the ${needed} bytes its header needs (stopped there): a decompression bomb, or a wrong header`;
  }
  return gzipProblem(e);
}

/** Inflates a whole gzip file (all members) within the header's bounds; one-line VolumeErrors. */
export function gunzipNiftiSync(bytes: Uint8Array, file: string, options: NiftiReadOptions = {}): Uint8Array {
  const { zlib, needed } = boundedOptions(bytes, file, options);
  try {
    return gunzipSync(bytes, zlib);
  } catch (e) {
    throw new VolumeError(file, inflateProblem(e, needed));
  }
}

/** As `gunzipNiftiSync`, inflating on libuv's thread pool. */
export function gunzipNifti(bytes: Uint8Array, file: string, options: NiftiReadOptions = {}): Promise<Uint8Array> {
  const { zlib, needed } = boundedOptions(bytes, file, options);
  return new Promise((resolve, reject) => {
    gunzip(bytes, zlib, (err, out) => (err ? reject(new VolumeError(file, inflateProblem(err, needed))) : resolve(out)));
  });
}
