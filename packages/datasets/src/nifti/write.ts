import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { createGzip, gzipSync } from "node:zlib";
import { encodeNiftiHeader, prepareVolume, type EncodeNiftiOptions } from "./encode.js";
import type { VolumeData, VolumeInput } from "./volume.js";
import { writeFailure } from "../write-failure.js";

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface WriteNiftiOptions extends EncodeNiftiOptions {
  /** gzip level 0..9 for `.nii.gz` (default 6). */
  readonly gzipLevel?: number;
  /** Force compression on or off (default: by extension, `.gz` = compressed). */
  readonly gzip?: boolean;
}

function bytesOf(data: VolumeData): Uint8Array {
  if (!HOST_LITTLE_ENDIAN) throw new Error("writing NIfTI on a big-endian host is not supported");
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A whole NIfTI-1 file in memory (gzip-compressed when `options.gzip`). */
export function encodeNifti(volume: VolumeInput, options: WriteNiftiOptions = {}, name = "<memory>"): Uint8Array {
  const { info, data, affine, zooms } = prepareVolume(name, volume);
  const header = encodeNiftiHeader(volume.shape, info, affine, zooms, options);
  const body = bytesOf(data);
  const file = new Uint8Array(header.length + body.length);
  file.set(header);
  file.set(body, header.length);
  return options.gzip ? gzipSync(file, { level: options.gzipLevel ?? 6 }) : file;
}

function gzipChunks(parts: Uint8Array[], level: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const z = createGzip({ level, chunkSize: 1 << 20 });
    const out: Buffer[] = [];
    z.on("data", (c: Buffer) => out.push(c));
    z.on("end", () => resolve(out));
    z.on("error", reject);
    for (const p of parts) z.write(p);
    z.end();
  });
}

/**
 * Writes a NIfTI-1 file (`.nii`, or gzip-compressed `.nii.gz` by extension) atomically: a
 * temporary file in the same folder, fsync, rename. Little-endian, sform and qform code 1
 * (both from the affine), mm units, no scaling.
 */
export async function writeNifti(path: string, volume: VolumeInput, options: WriteNiftiOptions = {}): Promise<void> {
  const { info, data, affine, zooms } = prepareVolume(path, volume);
  const parts = [encodeNiftiHeader(volume.shape, info, affine, zooms, options), bytesOf(data)];
  const compress = options.gzip ?? /\.gz$/i.test(path);
  const chunks = compress ? await gzipChunks(parts, options.gzipLevel ?? 6) : parts;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, "w");
  } catch (e) {
    throw writeFailure(path, e);
  }
  try {
    for (const c of chunks) {
      let done = 0;
      while (done < c.length) done += writeSync(fd, c, done, c.length - done);
    }
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (e) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(tmp, { force: true });
    throw writeFailure(path, e);
  }
}
