/**
 * The `.npy` header: magic `\x93NUMPY`, version, header length, then a Python dict literal
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`. Parsed with a small
 * literal reader (no evaluation). Shared by the npy and npz readers.
 */
import type { DType } from "../tensor.js";

export interface NpyHeader {
  readonly dtype: DType;
  readonly bigEndian: boolean;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  /** Bytes before the data (magic + lengths + header text). */
  readonly dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function looksLikeNpy(head: Uint8Array): boolean {
  return head.length >= 10 && MAGIC.every((b, i) => head[i] === b);
}

const KINDS: Record<string, DType> = {
  f8: "F64", f4: "F32", f2: "F16", i8: "I64", i4: "I32", i2: "I16", i1: "I8", u1: "U8", b1: "BOOL",
};

/** Bytes needed to parse the header: call with at least 12 bytes, then with `headerSize(head)`. */
export function npyHeaderSize(head: Uint8Array): number {
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const major = head[6]!;
  if (major === 1) return 10 + v.getUint16(8, true);
  if (major === 2 || major === 3) return 12 + v.getUint32(8, true);
  throw new Error(`unsupported .npy version ${major}.${head[7]}`);
}

/** Parses a complete header; throws an Error with a one-line reason (callers add the file name). */
export function parseNpyHeader(bytes: Uint8Array): NpyHeader {
  if (!looksLikeNpy(bytes)) throw new Error("not a .npy array (bad magic)");
  const dataOffset = npyHeaderSize(bytes);
  if (dataOffset > bytes.length) throw new Error(`.npy header of ${dataOffset} bytes is truncated`);
  const text = new TextDecoder("latin1").decode(bytes.subarray(bytes[6] === 1 ? 10 : 12, dataOffset));
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new Error(`malformed .npy header ${JSON.stringify(text.trim())}`);
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  const dtype = m ? KINDS[`${m[2]}${m[3]}`] : undefined;
  if (!m || !dtype) {
    const why = descr.includes("O") ? " (object arrays need pickle and are refused)" : "";
    throw new Error(`unsupported .npy dtype '${descr}'${why}`);
  }
  const shape = shapeText.split(",").map((s) => s.trim()).filter((s) => s.length).map((s) => {
    const n = Number(s.replace(/L$/, ""));
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`invalid .npy shape (${shapeText})`);
    return n;
  });
  return { dtype, bigEndian: m[1] === ">", fortranOrder: fortran === "True", shape, dataOffset };
}

/** Element strides of the stored layout (C order, or column-major for Fortran order). */
export function npyStrides(header: NpyHeader): number[] {
  const { shape } = header;
  const s = new Array<number>(shape.length);
  let acc = 1;
  if (header.fortranOrder) for (let i = 0; i < shape.length; i++) { s[i] = acc; acc *= shape[i]!; }
  else for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]!; }
  return s;
}
