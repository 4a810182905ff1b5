/**
 * Builds `torch.save`-style zip checkpoints in TypeScript (for tests and fixtures): storages,
 * views with offsets and strides, nesting, prefixes, any pickle tree (including hostile ones).
 */
import { DTYPE_BYTES, type DType, type TensorData, type TensorMap } from "../tensor.js";
import { contiguousStrides } from "../typed-arrays.js";
import { pickle, py, type Py } from "./pickle-writer.js";
import { writeZip, type ZipWriteEntry, type ZipWriteOptions } from "./zip-writer.js";

const STORAGE_CLASS: Record<DType, string> = {
  F32: "FloatStorage", F16: "HalfStorage", BF16: "BFloat16Storage", F64: "DoubleStorage", I64: "LongStorage",
  I32: "IntStorage", I16: "ShortStorage", I8: "CharStorage", U8: "ByteStorage", BOOL: "BoolStorage",
};

export interface TorchStorage {
  readonly key: string;
  readonly dtype: DType;
  /** Raw little-endian elements (F16/BF16 as 16-bit patterns). */
  readonly data: TensorData;
  /** The persistent-id tuple, shared by every view so it is memoized like torch does. */
  readonly pid: Py;
}

export function torchStorage(key: string, dtype: DType, data: TensorData): TorchStorage {
  return { key, dtype, data, pid: py.tuple("storage", py.global("torch", STORAGE_CLASS[dtype]), key, "cpu", data.length) };
}

/** `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())`. */
export function torchTensor(storage: TorchStorage, shape: readonly number[], options: { offset?: number; stride?: readonly number[] } = {}): Py {
  const stride = options.stride ?? contiguousStrides(shape);
  return py.reduce(
    py.global("torch._utils", "_rebuild_tensor_v2"),
    py.persid(storage.pid),
    options.offset ?? 0,
    py.tuple(...shape),
    py.tuple(...stride),
    false,
    py.reduce(py.global("collections", "OrderedDict")),
  );
}

/** A state dict of contiguous tensors, one storage each, from a TensorMap. */
export function torchStateDict(tensors: TensorMap, prefix = ""): { root: Record<string, Py>; storages: TorchStorage[] } {
  const root: Record<string, Py> = {};
  const storages: TorchStorage[] = [];
  let i = 0;
  for (const [name, t] of tensors) {
    const s = torchStorage(String(i++), t.dtype, t.read());
    storages.push(s);
    root[prefix + name] = torchTensor(s, t.shape);
  }
  return { root, storages };
}

export interface TorchZipOptions extends ZipWriteOptions {
  /** Top-level folder inside the zip (torch uses the file's stem, or "archive"). */
  archive?: string;
  /** Deflate the storages (torch writes them stored; other zip tools may not). */
  deflate?: boolean;
  /** Write a `byteorder` record with this value and the storages in this byte order. */
  byteorder?: "little" | "big";
}

export function writeTorchZip(path: string, root: Py, storages: readonly TorchStorage[], options: TorchZipOptions = {}): void {
  const dir = options.archive ?? "archive";
  const entries: ZipWriteEntry[] = [{ name: `${dir}/data.pkl`, data: pickle(root) }];
  for (const s of storages) {
    const bytes = new Uint8Array(s.data.buffer, s.data.byteOffset, s.data.byteLength).slice();
    if (options.byteorder === "big") {
      const size = DTYPE_BYTES[s.dtype];
      for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
    }
    entries.push({ name: `${dir}/data/${s.key}`, data: bytes, deflate: !!options.deflate });
  }
  if (options.byteorder) entries.push({ name: `${dir}/byteorder`, data: new TextEncoder().encode(options.byteorder) });
  entries.push({ name: `${dir}/version`, data: new TextEncoder().encode("3\n") });
  writeZip(path, entries, { align: 64, ...options });
}
