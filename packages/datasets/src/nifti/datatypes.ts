import type { VolumeData, VolumeDatatype } from "./volume.js";

type ArrayCtor = { new (length: number): VolumeData; new (buffer: ArrayBuffer, byteOffset: number, length: number): VolumeData; readonly BYTES_PER_ELEMENT: number };

export interface DatatypeInfo {
  readonly name: VolumeDatatype;
  readonly code: number;
  readonly bytes: 1 | 2 | 4 | 8;
  readonly array: ArrayCtor;
  /** Range of integer types (null for floats). */
  readonly range: readonly [number, number] | null;
}

/** The datatypes a Volume holds, keyed by name. */
export const DATATYPES: Readonly<Record<VolumeDatatype, DatatypeInfo>> = {
  uint8: { name: "uint8", code: 2, bytes: 1, array: Uint8Array, range: [0, 255] },
  int8: { name: "int8", code: 256, bytes: 1, array: Int8Array, range: [-128, 127] },
  int16: { name: "int16", code: 4, bytes: 2, array: Int16Array, range: [-32768, 32767] },
  uint16: { name: "uint16", code: 512, bytes: 2, array: Uint16Array, range: [0, 65535] },
  int32: { name: "int32", code: 8, bytes: 4, array: Int32Array, range: [-2147483648, 2147483647] },
  uint32: { name: "uint32", code: 768, bytes: 4, array: Uint32Array, range: [0, 4294967295] },
  float32: { name: "float32", code: 16, bytes: 4, array: Float32Array, range: null },
  float64: { name: "float64", code: 64, bytes: 8, array: Float64Array, range: null },
};

/** NIfTI codes we read but that have no Volume datatype of their own (narrowed to int32 when the values fit). */
export const WIDE_INTEGER_CODES: Readonly<Record<number, { name: string; signed: boolean }>> = {
  1024: { name: "int64", signed: true },
  1280: { name: "uint64", signed: false },
};

/** Names of the NIfTI datatype codes we do not read, for error messages. */
export const UNSUPPORTED_CODES: Readonly<Record<number, string>> = {
  0: "unknown (0)",
  1: "binary (1 bit)",
  32: "complex64",
  128: "RGB24",
  1536: "float128",
  1792: "complex128",
  2048: "complex256",
  2304: "RGBA32",
};

const BY_CODE = new Map(Object.values(DATATYPES).map((d) => [d.code, d] as const));

export function datatypeByCode(code: number): DatatypeInfo | undefined {
  return BY_CODE.get(code);
}

/** Name of a NIfTI datatype code, for messages. */
export function datatypeCodeName(code: number): string {
  return BY_CODE.get(code)?.name ?? WIDE_INTEGER_CODES[code]?.name ?? UNSUPPORTED_CODES[code] ?? `unknown code ${code}`;
}

/** The Volume datatype of a typed array. */
export function datatypeOf(data: VolumeData): VolumeDatatype {
  if (data instanceof Uint8Array) return "uint8";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Uint16Array) return "uint16";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Uint32Array) return "uint32";
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  throw new TypeError(`unsupported volume data type ${(data as object).constructor?.name}`);
}
