/**
 * Writing a NIfTI volume piece by piece, for outputs too large to hold in memory at once (a
 * 512×512×300 CT's per-class probabilities are 4.4 GB of float32): pieces are written at their
 * voxel offsets into a temporary file beside the target, which is then (for `.nii.gz`) gzipped
 * as a stream and renamed into place. On any failure — a full disk included — the temporary
 * files are removed and an existing file at the path is left as it was.
 */
import { randomBytes } from "node:crypto";
import { closeSync, createReadStream, createWriteStream, fsyncSync, ftruncateSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { writeFailure } from "../write-failure.js";
import { datatypeOf } from "./datatypes.js";
import { encodeNiftiHeader, prepareGrid, type VolumeGridInput } from "./encode.js";
import { VolumeError } from "./errors.js";
import type { VolumeData } from "./volume.js";
import type { WriteNiftiOptions } from "./write.js";

export interface NiftiStream {
  readonly path: string;
  /** Writes `data` (of the volume's datatype, NIfTI order) starting at voxel index `offset`. */
  write(offset: number, data: VolumeData): void;
  /** Finishes the file (gzip for `.gz`), fsync, rename into place. */
  close(): Promise<void>;
  /** Removes the temporary files; the path keeps what it had. */
  abort(): void;
}

/** Opens a NIfTI-1 file at `path` for writing by pieces (`.nii`, or gzip-compressed by extension). */
export function createNiftiStream(path: string, grid: VolumeGridInput, options: WriteNiftiOptions = {}): NiftiStream {
  const { info, affine, zooms } = prepareGrid(path, grid);
  const header = encodeNiftiHeader(grid.shape, info, affine, zooms, options);
  const count = grid.shape.reduce((a, b) => a * b, 1);
  const compress = options.gzip ?? /\.gz$/i.test(path);
  const stem = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}`);
  const raw = compress ? `${stem}.nii.tmp` : `${stem}.tmp`;
  const packed = `${stem}.tmp`;
  let fd: number | null = null;
  const cleanup = () => {
    if (fd !== null) try { closeSync(fd); } catch { /* closed */ }
    fd = null;
    rmSync(raw, { force: true });
    rmSync(packed, { force: true });
  };
  const fail = (e: unknown): never => {
    cleanup();
    throw e instanceof VolumeError ? e : writeFailure(path, e);
  };
  try {
    fd = openSync(raw, "w");
    writeSync(fd, header, 0, header.length, 0);
    ftruncateSync(fd, header.length + count * info.bytes);
  } catch (e) {
    fail(e);
  }
  return {
    path,
    write(offset, data) {
      if (fd === null) throw new Error(`${path}: the NIfTI stream is closed`);
      if (datatypeOf(data) !== info.name) fail(new VolumeError(path, `pieces must be ${info.name}, got ${datatypeOf(data)}`));
      if (!(offset >= 0 && offset + data.length <= count)) fail(new VolumeError(path, `voxels ${offset}..${offset + data.length} are outside the ${count} of shape [${grid.shape.join(", ")}]`));
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      try {
        for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, header.length + offset * info.bytes + done);
      } catch (e) {
        fail(e);
      }
    },
    async close() {
      if (fd === null) throw new Error(`${path}: the NIfTI stream is closed`);
      try {
        if (compress) {
          closeSync(fd);
          fd = null;
          const out = createWriteStream(packed);
          await pipeline(createReadStream(raw, { highWaterMark: 1 << 20 }), createGzip({ level: options.gzipLevel ?? 6, chunkSize: 1 << 20 }), out);
          const pfd = openSync(packed, "r+");
          try { fsyncSync(pfd); } finally { closeSync(pfd); }
          rmSync(raw, { force: true });
          renameSync(packed, path);
        } else {
          fsyncSync(fd);
          closeSync(fd);
          fd = null;
          renameSync(raw, path);
        }
      } catch (e) {
        fail(e);
      }
    },
    abort: cleanup,
  };
}
