/**
 * A small zip writer for tests and fixtures: stored or deflated entries, optional 64-byte data
 * alignment (as torch.save writes), and an optional zip64 central directory (forced even for
 * small archives, to exercise readers).
 */
import { writeFileSync } from "node:fs";
import { crc32, deflateRawSync } from "node:zlib";

export interface ZipWriteEntry {
  name: string;
  data: Uint8Array;
  deflate?: boolean;
}

export interface ZipWriteOptions {
  /** Write zip64 records (sizes and offsets in zip64 extra fields, zip64 end of central directory). */
  zip64?: boolean;
  /** Align each entry's data to this many bytes with padding in the local extra field (torch: 64). */
  align?: number;
}

/** CRC-32 (ISO-HDLC, as zip entries and PNG chunks use it): Node's own zlib implementation. */
export { crc32 } from "node:zlib";

class Out {
  private chunks: Uint8Array[] = [];
  length = 0;
  bytes(b: Uint8Array) { this.chunks.push(b); this.length += b.length; }
  u16(v: number) { const b = new Uint8Array(2); new DataView(b.buffer).setUint16(0, v, true); this.bytes(b); }
  u32(v: number) { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v >>> 0, true); this.bytes(b); }
  u64(v: number) { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(v), true); this.bytes(b); }
  concat() { const o = new Uint8Array(this.length); let p = 0; for (const c of this.chunks) { o.set(c, p); p += c.length; } return o; }
}

export function zipBytes(entries: readonly ZipWriteEntry[], options: ZipWriteOptions = {}): Uint8Array {
  const z64 = !!options.zip64;
  const out = new Out();
  const enc = new TextEncoder();
  const central: { name: Uint8Array; method: number; crc: number; csize: number; usize: number; offset: number }[] = [];
  for (const e of entries) {
    const name = enc.encode(e.name);
    const method = e.deflate ? 8 : 0;
    const body = e.deflate ? new Uint8Array(deflateRawSync(e.data)) : e.data;
    const crc = crc32(e.data);
    const offset = out.length;
    let extraLen = z64 ? 20 : 0;
    if (options.align) {
      const dataAt = offset + 30 + name.length + extraLen;
      const pad = (options.align - ((dataAt + 4) % options.align)) % options.align;
      extraLen += 4 + pad;
    }
    out.u32(0x04034b50); out.u16(z64 ? 45 : 20); out.u16(0); out.u16(method); out.u16(0); out.u16(0x21);
    out.u32(crc); out.u32(z64 ? 0xffffffff : body.length); out.u32(z64 ? 0xffffffff : e.data.length);
    out.u16(name.length); out.u16(extraLen); out.bytes(name);
    if (z64) { out.u16(1); out.u16(16); out.u64(e.data.length); out.u64(body.length); }
    if (options.align) { const pad = extraLen - (z64 ? 20 : 0) - 4; out.u16(0x4246); out.u16(pad); out.bytes(new Uint8Array(pad)); }
    out.bytes(body);
    central.push({ name, method, crc, csize: body.length, usize: e.data.length, offset });
  }
  const cdOffset = out.length;
  for (const c of central) {
    out.u32(0x02014b50); out.u16(z64 ? 45 : 20); out.u16(z64 ? 45 : 20); out.u16(0); out.u16(c.method); out.u16(0); out.u16(0x21);
    out.u32(c.crc); out.u32(z64 ? 0xffffffff : c.csize); out.u32(z64 ? 0xffffffff : c.usize);
    out.u16(c.name.length); out.u16(z64 ? 28 : 0); out.u16(0); out.u16(0); out.u16(0); out.u32(0);
    out.u32(z64 ? 0xffffffff : c.offset); out.bytes(c.name);
    if (z64) { out.u16(1); out.u16(24); out.u64(c.usize); out.u64(c.csize); out.u64(c.offset); }
  }
  const cdSize = out.length - cdOffset;
  if (z64) {
    const recAt = out.length;
    out.u32(0x06064b50); out.u64(44); out.u16(45); out.u16(45); out.u32(0); out.u32(0);
    out.u64(central.length); out.u64(central.length); out.u64(cdSize); out.u64(cdOffset);
    out.u32(0x07064b50); out.u32(0); out.u64(recAt); out.u32(1);
  }
  out.u32(0x06054b50); out.u16(0); out.u16(0);
  out.u16(z64 ? 0xffff : central.length); out.u16(z64 ? 0xffff : central.length);
  out.u32(z64 ? 0xffffffff : cdSize); out.u32(z64 ? 0xffffffff : cdOffset); out.u16(0);
  return out.concat();
}

export function writeZip(path: string, entries: readonly ZipWriteEntry[], options: ZipWriteOptions = {}): void {
  writeFileSync(path, zipBytes(entries, options));
}
