import { constants as bufferConstants } from "node:buffer";
import { constants, gunzip, gunzipSync, type ZlibOptions } from "node:zlib";
import { parseNiftiHeader } from "./header.js";
import { datatypeByCode, WIDE_INTEGER_CODES } from "./datatypes.js";
import { VolumeError } from "./errors.js";

/** Deflate cannot expand more than ~1032:1, so a larger ISIZE is not trusted as an allocation hint. */
const MAX_RATIO = 1032;
/** Compressed bytes inflated up front to read the header (and size the output buffer). */
const HEAD_INPUT = 16 * 1024;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function gzipProblem(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === "Z_BUF_ERROR" || /unexpected end/i.test(err.message)) return "truncated gzip data (unexpected end of file)";
  if (err.code === "ERR_BUFFER_TOO_LARGE") return "gzip data decompresses to more than the largest possible buffer";
  return `corrupt gzip data (${err.message})`;
}

/**
 * zlib options that let the inflater write the whole file into one buffer (no chunk list, no
 * concatenation copy): the output size comes from the NIfTI header inside the first compressed
 * block, checked against the gzip trailer (ISIZE). Falls back to zlib's default chunking.
 */
function sizedOptions(bytes: Uint8Array, file: string): ZlibOptions {
  let head: Buffer;
  try {
    head = gunzipSync(bytes.subarray(0, Math.min(bytes.length, HEAD_INPUT)), { finishFlush: constants.Z_SYNC_FLUSH });
  } catch (e) {
    throw new VolumeError(file, gzipProblem(e));
  }
  const isize = bytes.length >= 18 ? new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true) : 0;
  let expected = 0;
  try {
    const h = parseNiftiHeader(head, file);
    const bytesPer = datatypeByCode(h.datatypeCode)?.bytes ?? (WIDE_INTEGER_CODES[h.datatypeCode] ? 8 : 0);
    let n = 1;
    for (let i = 1; i <= h.dim[0]!; i++) n *= h.dim[i]!;
    expected = h.voxOffset + n * bytesPer;
  } catch {
    // A header problem is reported after full decompression (the data may be shorter than 16 KiB).
  }
  const plausible = isize > 0 && isize <= bytes.length * MAX_RATIO;
  // ISIZE is the length mod 2^32: trust it when it matches the header's expectation.
  const size = expected > 0 && plausible && isize === expected % 2 ** 32 ? expected : plausible && isize >= expected ? isize : 0;
  return size > 0 && size < bufferConstants.MAX_LENGTH ? { chunkSize: Math.max(size + 1, 64) } : {};
}

/** Decompresses a whole gzip file (all members), mapping zlib errors to one-line VolumeErrors. */
export function gunzipNiftiSync(bytes: Uint8Array, file: string): Uint8Array {
  const options = sizedOptions(bytes, file);
  try {
    return gunzipSync(bytes, options);
  } catch (e) {
    throw new VolumeError(file, gzipProblem(e));
  }
}

/** As `gunzipNiftiSync`, inflating on libuv's thread pool. */
export function gunzipNifti(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  const options = sizedOptions(bytes, file);
  return new Promise((resolve, reject) => {
    gunzip(bytes, options, (err, out) => (err ? reject(new VolumeError(file, gzipProblem(err))) : resolve(out)));
  });
}
