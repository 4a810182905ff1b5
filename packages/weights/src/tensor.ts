/**
 * The neutral tensor model every reader produces and every writer consumes.
 *
 * A `TensorMap` maps a name to a `TensorEntry`: dtype, shape, and a `read()` that produces the
 * values. Readers return lazy entries (values are read from disk on demand, one tensor at a
 * time), so a large checkpoint is never held in memory twice; transforms return in-memory entries
 * for the tensors they change and pass the others through untouched.
 */

/** Element types, named as safetensors names them. */
export type DType = "F64" | "F32" | "F16" | "BF16" | "I64" | "I32" | "I16" | "I8" | "U8" | "BOOL";

/** The typed array each dtype reads into. F16 and BF16 keep their raw 16-bit patterns. */
export interface DTypeArrays {
  F64: Float64Array;
  F32: Float32Array;
  F16: Uint16Array;
  BF16: Uint16Array;
  I64: BigInt64Array;
  I32: Int32Array;
  I16: Int16Array;
  I8: Int8Array;
  U8: Uint8Array;
  BOOL: Uint8Array;
}

export type TensorData = DTypeArrays[DType];

export const DTYPE_BYTES: Readonly<Record<DType, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1,
};

export interface TensorEntry {
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Reads the values; the caller owns the returned array (lazy entries read from disk each call). */
  read(): TensorData;
}

export type TensorMap = ReadonlyMap<string, TensorEntry>;

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** An in-memory entry holding `data`; `read()` returns a copy so callers can never alias it. */
export function tensorEntry<D extends DType>(dtype: D, shape: readonly number[], data: DTypeArrays[D]): TensorEntry {
  if (data.length !== numel(shape)) {
    throw new Error(`tensor data has ${data.length} elements but shape [${shape.join(", ")}] needs ${numel(shape)}`);
  }
  const frozen = Object.freeze([...shape]);
  return { dtype, shape: frozen, read: () => data.slice() as TensorData };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half-precision bits to a number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** bfloat16 bits to a number (the high half of an F32). */
export function bf16ToFloat(b: number): number {
  u32[0] = b << 16;
  return f32[0]!;
}

/** Values of any entry as Float32Array (integers and F64 are converted; F16/BF16 decoded). */
export function toFloat32(entry: TensorEntry): Float32Array {
  const data = entry.read();
  if (data instanceof Float32Array) return data;
  const out = new Float32Array(data.length);
  if (entry.dtype === "F16") for (let i = 0; i < out.length; i++) out[i] = halfToFloat((data as Uint16Array)[i]!);
  else if (entry.dtype === "BF16") for (let i = 0; i < out.length; i++) out[i] = bf16ToFloat((data as Uint16Array)[i]!);
  else if (data instanceof BigInt64Array) for (let i = 0; i < out.length; i++) out[i] = Number(data[i]!);
  else for (let i = 0; i < out.length; i++) out[i] = (data as Float64Array)[i]!;
  return out;
}

/** A float32 in-memory entry. */
export function f32Entry(shape: readonly number[], data: Float32Array): TensorEntry {
  return tensorEntry("F32", shape, data);
}
