/**
 * A minimal read-only zip reader for checkpoints: reads the central directory (zip64 included)
 * from the end of the file and locates each entry's data, which is then read lazily by offset.
 * STORED entries are read in place; DEFLATED ones are inflated with node:zlib on demand.
 */
import { inflateRawSync } from "node:zlib";
import { CheckpointError } from "../errors.js";
import { fileSize, readRange } from "../io.js";

export interface ZipEntry {
  readonly name: string;
  /** 0 = stored, 8 = deflated. */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

export interface ZipDirectory {
  readonly path: string;
  readonly fileSize: number;
  readonly entries: ReadonlyMap<string, ZipEntry>;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

/** True when the bytes start like a zip file (a local file header or an empty archive). */
export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

function u64(view: DataView, at: number, path: string): number {
  const v = view.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new CheckpointError(path, `zip field ${v} is too large`);
  return Number(v);
}

/** Reads the central directory. Throws a CheckpointError naming the file for anything malformed. */
export function readZipDirectory(path: string): ZipDirectory {
  const size = fileSize(path);
  const tailLen = Math.min(size, 22 + MAX_COMMENT);
  const tail = readRange(path, size - tailLen, tailLen);
  const tv = new DataView(tail.buffer);
  let eocd = -1;
  for (let i = tailLen - 22; i >= 0; i--) {
    if (tv.getUint32(i, true) === EOCD) { eocd = i; break; }
  }
  if (eocd < 0) throw new CheckpointError(path, "not a readable zip file (no end-of-central-directory record): truncated or not a zip");
  let count = tv.getUint16(eocd + 10, true);
  let cdSize = tv.getUint32(eocd + 12, true);
  let cdOffset = tv.getUint32(eocd + 16, true);
  const locatorAt = eocd - 20;
  if (locatorAt >= 0 && tv.getUint32(locatorAt, true) === ZIP64_LOCATOR) {
    const z64Offset = u64(tv, locatorAt + 8, path);
    if (z64Offset + 56 > size) throw new CheckpointError(path, `zip64 end record at byte ${z64Offset} is past the end of the file (${size} bytes)`);
    const rec = readRange(path, z64Offset, 56);
    const rv = new DataView(rec.buffer);
    if (rv.getUint32(0, true) !== ZIP64_EOCD) throw new CheckpointError(path, "zip64 locator points to no zip64 end record");
    count = u64(rv, 32, path);
    cdSize = u64(rv, 40, path);
    cdOffset = u64(rv, 48, path);
  }
  if (cdOffset + cdSize > size) {
    throw new CheckpointError(path, `zip central directory (${cdSize} bytes at ${cdOffset}) runs past the end of the file (${size} bytes): truncated?`);
  }
  const cd = readRange(path, cdOffset, cdSize);
  const cv = new DataView(cd.buffer);
  const entries = new Map<string, ZipEntry>();
  const utf8 = new TextDecoder();
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdSize || cv.getUint32(p, true) !== CENTRAL) throw new CheckpointError(path, `zip central directory entry ${i} is malformed`);
    const method = cv.getUint16(p + 10, true);
    let compressedSize = cv.getUint32(p + 20, true);
    let usize = cv.getUint32(p + 24, true);
    const nameLen = cv.getUint16(p + 28, true);
    const extraLen = cv.getUint16(p + 30, true);
    const commentLen = cv.getUint16(p + 32, true);
    let localHeaderOffset = cv.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen + commentLen > cdSize) throw new CheckpointError(path, `zip central directory entry ${i} is malformed`);
    const name = utf8.decode(cd.subarray(p + 46, p + 46 + nameLen));
    // zip64 extended information: the 0xFFFFFFFF fields, in this order, as 8-byte values
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = cv.getUint16(e, true);
      const len = cv.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        const take = () => { const v = u64(cv, q, path); q += 8; return v; };
        if (usize === 0xffffffff) usize = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
      }
      e += 4 + len;
    }
    if (method !== 0 && method !== 8) throw new CheckpointError(path, `zip entry "${name}" uses compression method ${method} (only stored and deflated are supported)`);
    if (localHeaderOffset + 30 + compressedSize > size) {
      throw new CheckpointError(path, `zip entry "${name}" declares ${compressedSize} bytes at ${localHeaderOffset}, past the end of the file (${size} bytes): truncated?`);
    }
    if (method === 8 && usize > compressedSize * 1032 + 64) {
      throw new CheckpointError(path, `zip entry "${name}" declares ${usize} bytes from ${compressedSize} compressed, more than deflate can produce`);
    }
    if (method === 0 && compressedSize !== usize) throw new CheckpointError(path, `zip entry "${name}" is stored but its sizes differ (${compressedSize} vs ${usize})`);
    entries.set(name, { name, method, compressedSize, size: usize, localHeaderOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { path, fileSize: size, entries };
}

/** Byte offset of an entry's (possibly compressed) data, from its local header. */
export function entryDataOffset(zip: ZipDirectory, entry: ZipEntry): number {
  const h = readRange(zip.path, entry.localHeaderOffset, 30);
  const v = new DataView(h.buffer);
  if (v.getUint32(0, true) !== LOCAL) throw new CheckpointError(zip.path, `zip entry "${entry.name}" has no local header at byte ${entry.localHeaderOffset}`);
  const start = entry.localHeaderOffset + 30 + v.getUint16(26, true) + v.getUint16(28, true);
  if (start + entry.compressedSize > zip.fileSize) {
    throw new CheckpointError(zip.path, `zip entry "${entry.name}" ends past the end of the file (${zip.fileSize} bytes): truncated?`);
  }
  return start;
}

/**
 * Reads `length` uncompressed bytes at `offset` inside an entry. Stored entries read just that
 * range from disk; deflated ones are inflated (bounded by the declared size) and sliced.
 */
export function readEntryRange(zip: ZipDirectory, entry: ZipEntry, dataOffset: number, offset: number, length: number): Uint8Array {
  if (offset < 0 || offset + length > entry.size) {
    throw new CheckpointError(zip.path, `zip entry "${entry.name}": bytes ${offset}..${offset + length} requested but it holds ${entry.size}`);
  }
  if (entry.method === 0) return readRange(zip.path, dataOffset + offset, length);
  const all = inflateEntry(zip, entry, dataOffset);
  const out = new Uint8Array(new ArrayBuffer(length));
  out.set(all.subarray(offset, offset + length));
  return out;
}

/** Inflates a whole entry (or reads it, when stored). */
export function inflateEntry(zip: ZipDirectory, entry: ZipEntry, dataOffset: number): Uint8Array {
  const raw = readRange(zip.path, dataOffset, entry.compressedSize);
  if (entry.method === 0) return raw;
  let out: Buffer;
  try {
    out = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
  } catch (e) {
    throw new CheckpointError(zip.path, `zip entry "${entry.name}" does not inflate (${(e as Error).message})`);
  }
  if (out.length !== entry.size) throw new CheckpointError(zip.path, `zip entry "${entry.name}" inflates to ${out.length} bytes, expected ${entry.size}`);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** The first `length` uncompressed bytes of an entry (enough to parse a header), without inflating all of it. */
export function readEntryHead(zip: ZipDirectory, entry: ZipEntry, dataOffset: number, length: number): Uint8Array {
  const n = Math.min(length, entry.size);
  if (entry.method === 0) return readRange(zip.path, dataOffset, n);
  const raw = readRange(zip.path, dataOffset, Math.min(entry.compressedSize, n + 1024));
  let out: Buffer;
  try {
    out = inflateRawSync(raw, { finishFlush: 2 /* Z_SYNC_FLUSH: accept a partial stream */, maxOutputLength: Math.max(1, entry.size) });
  } catch (e) {
    throw new CheckpointError(zip.path, `zip entry "${entry.name}" does not inflate (${(e as Error).message})`);
  }
  return new Uint8Array(out.buffer, out.byteOffset, Math.min(n, out.length));
}
