/** NIfTI-1 / NIfTI-2 header fields and boundaries, and header-aware mutations (dims, datatypes, offsets). */
import { fieldRun, type Field, type Layout, writeField } from "../mutate.js";
import type { Rng } from "../rng.js";

const f = (name: string, at: number, width: Field["width"], kind: Field["kind"], little: boolean): Field => ({ name, at, width, kind, little });

export interface NiftiShape {
  readonly version: 1 | 2;
  readonly little: boolean;
}

export function sniff(bytes: Uint8Array): NiftiShape | null {
  if (bytes.length < 4) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, 4);
  for (const little of [true, false]) {
    const s = v.getInt32(0, little);
    if (s === 348) return { version: 1, little };
    if (s === 540) return { version: 2, little };
  }
  return null;
}

/** The header's fields, for a NIfTI-1 or NIfTI-2 file of either byte order. */
export function niftiFields(shape: NiftiShape): Field[] {
  const le = shape.little;
  if (shape.version === 1) {
    return [
      f("sizeof_hdr", 0, 4, "int", le), f("dim_info", 39, 1, "uint", le), ...fieldRun("dim", 40, 8, 2, "int", le),
      f("intent_code", 68, 2, "int", le), f("datatype", 70, 2, "int", le), f("bitpix", 72, 2, "int", le),
      ...fieldRun("pixdim", 76, 8, 4, "float", le), f("vox_offset", 108, 4, "float", le), f("scl_slope", 112, 4, "float", le),
      f("scl_inter", 116, 4, "float", le), f("xyzt_units", 123, 1, "uint", le), f("qform_code", 252, 2, "int", le),
      f("sform_code", 254, 2, "int", le), ...fieldRun("quatern", 256, 6, 4, "float", le), ...fieldRun("srow", 280, 12, 4, "float", le),
      f("extension[0]", 348, 1, "uint", le), f("esize", 352, 4, "int", le), f("ecode", 356, 4, "int", le),
    ];
  }
  return [
    f("sizeof_hdr", 0, 4, "int", le), f("datatype", 12, 2, "int", le), f("bitpix", 14, 2, "int", le), ...fieldRun("dim", 16, 8, 8, "int", le),
    ...fieldRun("pixdim", 104, 8, 8, "float", le), f("vox_offset", 168, 8, "int", le), f("scl_slope", 176, 8, "float", le),
    f("scl_inter", 184, 8, "float", le), f("qform_code", 344, 4, "int", le), f("sform_code", 348, 4, "int", le),
    ...fieldRun("quatern", 352, 6, 8, "float", le), ...fieldRun("srow", 400, 12, 8, "float", le), f("xyzt_units", 500, 4, "int", le),
    f("intent_code", 504, 4, "int", le), f("extension[0]", 540, 1, "uint", le), f("esize", 544, 4, "int", le),
  ];
}

function voxOffset(bytes: Uint8Array, shape: NiftiShape): number {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (shape.version === 1) return bytes.length >= 112 ? Math.floor(v.getFloat32(108, shape.little)) : 352;
  return bytes.length >= 176 ? Number(v.getBigInt64(168, shape.little)) : 544;
}

export function niftiLayout(bytes: Uint8Array): Layout {
  const shape = sniff(bytes);
  if (!shape) return { boundaries: [0, 4, 348, 352, bytes.length], fields: [] };
  const hdr = shape.version === 1 ? 348 : 540;
  const vox = voxOffset(bytes, shape);
  const boundaries = [0, 4, hdr, hdr + 4, bytes.length];
  if (vox > hdr && vox < bytes.length) {
    boundaries.push(vox);
    const data = bytes.length - vox;
    for (const frac of [0.25, 0.5, 0.75]) boundaries.push(vox + Math.floor(data * frac));
  }
  return { boundaries, fields: niftiFields(shape) };
}

const DATATYPES = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2304, 3, 17, -1, 32767] as const;
const BITPIX: Record<number, number> = { 2: 8, 4: 16, 8: 32, 16: 32, 32: 64, 64: 64, 128: 24, 256: 8, 512: 16, 768: 32, 1024: 64, 1280: 64, 1536: 128, 1792: 128, 2048: 256, 2304: 32 };

/** dims, datatype, byte order or extension mutated with the header's meaning in mind. */
export type NiftiHeaderMutation = "datatype" | "permute" | "ndim" | "grow" | "endian" | "extension" | "voxoffset";

export function mutateNiftiHeader(bytes: Uint8Array, rng: Rng, only?: NiftiHeaderMutation): { bytes: Uint8Array; note: string } {
  const shape = sniff(bytes);
  if (!shape) return { bytes, note: "header (not NIfTI)" };
  const out = bytes.slice();
  const fields = niftiFields(shape);
  const field = (name: string) => fields.find((x) => x.name === name)!;
  const v = new DataView(out.buffer);
  const dimAt = (i: number) => (shape.version === 1 ? 40 + 2 * i : 16 + 8 * i);
  const readDim = (i: number) => (shape.version === 1 ? v.getInt16(dimAt(i), shape.little) : Number(v.getBigInt64(dimAt(i), shape.little)));
  const kind = only ?? rng.pick(["datatype", "permute", "ndim", "grow", "endian", "extension", "voxoffset"] as const);
  if (out.length < (shape.version === 1 ? 348 : 540)) return { bytes: out, note: "header (short)" };
  switch (kind) {
    case "datatype": {
      const code = rng.pick(DATATYPES);
      writeField(out, field("datatype"), code);
      const bitpix = rng.chance(0.7) ? (BITPIX[code] ?? 0) : rng.pick([0, 8, 16, 32, 64, 128, -8]);
      writeField(out, field("bitpix"), bitpix);
      return { bytes: out, note: `datatype := ${code}, bitpix := ${bitpix}` };
    }
    case "permute": {
      const n = Math.max(1, Math.min(7, readDim(0)));
      const dims = Array.from({ length: 7 }, (_, i) => readDim(i + 1));
      for (let i = n - 1; i > 0; i--) { const j = rng.below(i + 1); [dims[i], dims[j]] = [dims[j]!, dims[i]!]; }
      if (rng.chance(0.3)) { const i = rng.below(7), j = rng.below(7); [dims[i], dims[j]] = [dims[j]!, dims[i]!]; }
      dims.forEach((d, i) => writeField(out, field(`dim[${i + 1}]`), d));
      return { bytes: out, note: `dims := ${dims.join(",")}` };
    }
    case "ndim": {
      const n = rng.pick([-1, 0, 1, 2, 3, 4, 5, 7, 8, 9, 100]);
      writeField(out, field("dim[0]"), n);
      return { bytes: out, note: `dim[0] := ${n}` };
    }
    case "grow": {
      const i = rng.int(1, 4);
      const by = rng.pick([2, 3, 1000, 2 ** 15 - 1, 2 ** 16, 2 ** 31 - 1, 2 ** 31, 2 ** 40]);
      const d = shape.version === 1 ? Math.min(32767, readDim(i) * by) : readDim(i) * by;
      writeField(out, field(`dim[${i}]`), BigInt(Math.min(d, 2 ** 62)));
      if (rng.chance(0.5)) writeField(out, field("dim[0]"), Math.max(readDim(0), i));
      return { bytes: out, note: `dim[${i}] := ${d}` };
    }
    case "endian": {
      out.subarray(0, 4).reverse();
      return { bytes: out, note: "sizeof_hdr byte order swapped" };
    }
    case "extension": {
      const hdr = shape.version === 1 ? 348 : 540;
      const esize = rng.pick([0, 8, 16, 17, 1 << 20, -16, 2 ** 31 - 1]);
      writeField(out, field("extension[0]"), 1);
      if (out.length >= hdr + 12) {
        writeField(out, { at: hdr + 4, width: 4, kind: "int", little: shape.little, name: "esize" }, esize);
        writeField(out, { at: hdr + 8, width: 4, kind: "int", little: shape.little, name: "ecode" }, rng.pick([0, 4, 6, 44]));
      }
      return { bytes: out, note: `extension esize := ${esize}` };
    }
    case "voxoffset": {
      const to = rng.pick([0, 1, 347, 348, 352, 353, 354, 356, 540, 544, out.length, out.length + 1, 2 ** 31, -352]);
      if (shape.version === 1) writeField(out, field("vox_offset"), to);
      else writeField(out, field("vox_offset"), BigInt(to));
      return { bytes: out, note: `vox_offset := ${to}` };
    }
  }
}

/** Bytes the header says the file holds (vox_offset + voxels × bitpix / 8), or 0 when it cannot tell. */
export function claimedBytes(bytes: Uint8Array): number {
  const shape = sniff(bytes);
  if (!shape || bytes.length < (shape.version === 1 ? 348 : 540)) return 0;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dim = (i: number) => (shape.version === 1 ? v.getInt16(40 + 2 * i, shape.little) : Number(v.getBigInt64(16 + 8 * i, shape.little)));
  const bitpix = shape.version === 1 ? v.getInt16(72, shape.little) : v.getInt16(14, shape.little);
  let n = 1;
  for (let i = 1; i <= Math.max(1, Math.min(7, dim(0))); i++) n *= Math.abs(dim(i));
  return Math.max(0, voxOffset(bytes, shape)) + (n * Math.abs(bitpix)) / 8;
}
