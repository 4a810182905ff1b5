/** Byte-level helpers shared by the readers: typed views, byte swapping, strided gathers. */
import { DTYPE_BYTES, type DType, type TensorData } from "./tensor.js";

const ARRAYS: Record<DType, new (buffer: ArrayBuffer, offset: number, length: number) => TensorData> = {
  F64: Float64Array, F32: Float32Array, F16: Uint16Array, BF16: Uint16Array, I64: BigInt64Array,
  I32: Int32Array, I16: Int16Array, I8: Int8Array, U8: Uint8Array, BOOL: Uint8Array,
};

/**
 * The typed array of `dtype` over `bytes` (no copy when `bytes` starts at an aligned offset,
 * as the readers' fresh buffers do; otherwise a copy).
 */
export function viewAs(dtype: DType, bytes: Uint8Array): TensorData {
  const size = DTYPE_BYTES[dtype];
  if (bytes.byteLength % size) throw new Error(`${bytes.byteLength} bytes is not a whole number of ${dtype} elements`);
  const b = bytes.byteOffset % size ? bytes.slice() : bytes;
  return new ARRAYS[dtype](b.buffer as ArrayBuffer, b.byteOffset, b.byteLength / size);
}

/** Reverses the byte order of each `size`-byte element, in place. */
export function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/** Row-major (C order) strides, in elements. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** True when a view with these strides lays its elements out densely in C order. */
export function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  const c = contiguousStrides(shape);
  return shape.every((d, i) => d === 1 || stride[i] === c[i]);
}

/** Largest element index (relative to the view's offset) a strided view touches; -1 when empty. */
export function maxStridedIndex(shape: readonly number[], stride: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 0) return -1;
    m += (shape[i]! - 1) * stride[i]!;
  }
  return m;
}

/**
 * Copies a strided view into a dense C-order buffer. `src` holds the elements starting at the
 * view's first element (index 0 = the offset); sizes and strides are in elements of `elemBytes`.
 */
export function gatherStrided(src: Uint8Array, elemBytes: number, shape: readonly number[], stride: readonly number[]): Uint8Array {
  let n = 1;
  for (const d of shape) n *= d;
  const out = new Uint8Array(new ArrayBuffer(n * elemBytes));
  if (n === 0) return out;
  const aligned = src.byteOffset % 4 === 0 ? src : src.slice();
  // copy in 1, 2 or 4-byte words (an 8-byte element is two 4-byte words)
  const word = elemBytes >= 4 ? 4 : elemBytes;
  const per = elemBytes / word;
  const Ctor = word === 4 ? Uint32Array : word === 2 ? Uint16Array : Uint8Array;
  const s = new Ctor(aligned.buffer as ArrayBuffer, aligned.byteOffset, Math.floor(aligned.byteLength / word));
  const d = new Ctor(out.buffer, 0, (n * elemBytes) / word);
  const rank = shape.length;
  if (rank === 0) {
    for (let w = 0; w < per; w++) d[w] = s[w]!;
    return out;
  }
  const last = shape[rank - 1]!;
  const lastStride = stride[rank - 1]! * per;
  const idx = new Array<number>(rank).fill(0);
  let o = 0;
  for (let row = 0; row < n / last; row++) {
    let base = 0;
    for (let i = 0; i < rank - 1; i++) base += idx[i]! * stride[i]!;
    base *= per;
    for (let j = 0; j < last; j++) {
      const at = base + j * lastStride;
      for (let w = 0; w < per; w++) d[o++] = s[at + w]!;
    }
    for (let i = rank - 2; i >= 0; i--) {
      if (++idx[i]! < shape[i]!) break;
      idx[i] = 0;
    }
  }
  return out;
}
