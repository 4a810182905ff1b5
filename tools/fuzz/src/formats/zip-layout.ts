/**
 * The structure of a zip file for the fuzzer: every local header, central directory entry,
 * zip64 record and end record as numeric fields and boundaries (found by walking the bytes
 * leniently: a damaged seed just yields fewer fields), and the entries as name + data so an
 * archive can be rebuilt with entries duplicated, dropped, renamed or replaced.
 */
import { inflateRawSync } from "node:zlib";
import { fieldRun, type Field, type Layout } from "../mutate.js";

const u16 = (name: string, at: number): Field => ({ at, width: 2, kind: "uint", little: true, name });
const u32 = (name: string, at: number): Field => ({ at, width: 4, kind: "uint", little: true, name });
const u64 = (name: string, at: number): Field => ({ at, width: 8, kind: "uint", little: true, name });

export function zipLayout(bytes: Uint8Array): Layout {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: Field[] = [];
  const boundaries = new Set<number>([0, bytes.length]);
  const sig = (at: number) => (at + 4 <= bytes.length ? v.getUint32(at, true) : 0);
  for (let p = 0; p + 30 <= bytes.length; p++) {
    const s = sig(p);
    if (s === 0x04034b50) {
      const nameLen = v.getUint16(p + 26, true), extraLen = v.getUint16(p + 28, true);
      fields.push(u16("local.method", p + 8), u32("local.crc", p + 14), u32("local.csize", p + 18), u32("local.usize", p + 22), u16("local.nameLen", p + 26), u16("local.extraLen", p + 28));
      const data = p + 30 + nameLen + extraLen;
      const csize = v.getUint32(p + 18, true);
      boundaries.add(p).add(p + 30).add(data);
      if (csize !== 0xffffffff && data + csize <= bytes.length) boundaries.add(data + csize);
    } else if (s === 0x02014b50 && p + 46 <= bytes.length) {
      const nameLen = v.getUint16(p + 28, true), extraLen = v.getUint16(p + 30, true);
      fields.push(u16("central.method", p + 10), u32("central.crc", p + 16), u32("central.csize", p + 20), u32("central.usize", p + 24), u16("central.nameLen", p + 28), u16("central.extraLen", p + 30), u16("central.commentLen", p + 32), u32("central.localOffset", p + 42));
      boundaries.add(p).add(p + 46).add(p + 46 + nameLen);
      // zip64 extra field
      let e = p + 46 + nameLen;
      const end = Math.min(bytes.length, e + extraLen);
      while (e + 4 <= end) {
        const id = v.getUint16(e, true), len = v.getUint16(e + 2, true);
        if (id === 1) for (let k = 0; k * 8 + 8 <= len && e + 4 + k * 8 + 8 <= bytes.length; k++) fields.push(u64(`zip64extra[${k}]`, e + 4 + k * 8));
        e += 4 + len;
      }
    } else if (s === 0x06054b50 && p + 22 <= bytes.length) {
      fields.push(u16("eocd.countDisk", p + 8), u16("eocd.count", p + 10), u32("eocd.cdSize", p + 12), u32("eocd.cdOffset", p + 16), u16("eocd.commentLen", p + 20));
      boundaries.add(p).add(p + 22);
    } else if (s === 0x07064b50 && p + 20 <= bytes.length) {
      fields.push(u64("zip64locator.offset", p + 8));
      boundaries.add(p);
    } else if (s === 0x06064b50 && p + 56 <= bytes.length) {
      fields.push(...fieldRun("zip64eocd", p + 24, 4, 8, "uint", true));
      boundaries.add(p).add(p + 56);
    }
  }
  return { boundaries: [...boundaries].sort((a, b) => a - b), fields };
}

export interface ZipEntryData {
  name: string;
  data: Uint8Array;
  deflate: boolean;
}

/** The entries of a well-formed zip (the seeds), in central-directory order. */
export function zipEntries(bytes: Uint8Array): ZipEntryData[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = bytes.length - 22;
  while (eocd >= 0 && v.getUint32(eocd, true) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error("seed is not a zip");
  let count = v.getUint16(eocd + 10, true);
  let cd = v.getUint32(eocd + 16, true);
  if (eocd >= 20 && v.getUint32(eocd - 20, true) === 0x07064b50) {
    const rec = Number(v.getBigUint64(eocd - 12, true));
    count = Number(v.getBigUint64(rec + 32, true));
    cd = Number(v.getBigUint64(rec + 48, true));
  }
  const out: ZipEntryData[] = [];
  for (let i = 0, p = cd; i < count; i++) {
    const method = v.getUint16(p + 10, true);
    let csize = v.getUint32(p + 20, true);
    const nameLen = v.getUint16(p + 28, true), extraLen = v.getUint16(p + 30, true), commentLen = v.getUint16(p + 32, true);
    let local = v.getUint32(p + 42, true);
    let usize = v.getUint32(p + 24, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    for (let e = p + 46 + nameLen; e + 4 <= p + 46 + nameLen + extraLen; e += 4 + v.getUint16(e + 2, true)) {
      if (v.getUint16(e, true) !== 1) continue;
      let q = e + 4;
      if (usize === 0xffffffff) { usize = Number(v.getBigUint64(q, true)); q += 8; }
      if (csize === 0xffffffff) { csize = Number(v.getBigUint64(q, true)); q += 8; }
      if (local === 0xffffffff) local = Number(v.getBigUint64(q, true));
    }
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    const raw = bytes.subarray(start, start + csize);
    out.push({ name, data: method === 8 ? new Uint8Array(inflateRawSync(raw)) : raw.slice(), deflate: method === 8 });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}
