/**
 * The allow-list of globals a PyTorch state dict may reference, as inert TypeScript values.
 * Nothing here runs Python semantics: `_rebuild_tensor_v2` just records where a tensor's values
 * live (storage, offset, size, stride) so the reader can fetch them lazily.
 */
import type { DType } from "../tensor.js";
import { PickleTuple, type PickleCallable } from "./unpickler.js";

/** A storage named by a persistent id: `data/<key>` in the zip, `numel` elements of `dtype`. */
export class StorageRef {
  constructor(readonly key: string, readonly dtype: DType, readonly numel: number) {}
}

/** A tensor view on a storage, as `_rebuild_tensor_v2` describes it (offset and strides in elements). */
export class TensorRef {
  constructor(readonly storage: StorageRef, readonly offset: number, readonly shape: readonly number[], readonly stride: readonly number[]) {}
}

/** A dtype object (`torch.float32`) or a storage class (`torch.FloatStorage`). */
export class DTypeMarker {
  constructor(readonly pickleName: string, readonly dtype: DType) {}
}

/** A tensor class (`torch.Tensor`, `torch.nn.parameter.Parameter`), only meaningful to `_rebuild_from_type_v2`. */
export class TensorClass {
  constructor(readonly pickleName: string) {}
}

const STORAGES: Record<string, DType> = {
  FloatStorage: "F32", HalfStorage: "F16", BFloat16Storage: "BF16", DoubleStorage: "F64", LongStorage: "I64",
  IntStorage: "I32", ShortStorage: "I16", CharStorage: "I8", ByteStorage: "U8", BoolStorage: "BOOL", UntypedStorage: "U8",
};
const DTYPES: Record<string, DType> = {
  float32: "F32", float: "F32", float16: "F16", half: "F16", bfloat16: "BF16", float64: "F64", double: "F64",
  int64: "I64", long: "I64", int32: "I32", int: "I32", int16: "I16", short: "I16", int8: "I8", uint8: "U8", bool: "BOOL",
};

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
const intTuple = (v: unknown): number[] | undefined =>
  v instanceof PickleTuple && v.items.every(isInt) ? (v.items as number[]) : undefined;

function callable(pickleName: string, call: (args: readonly unknown[]) => unknown): PickleCallable {
  return { pickleName, call };
}

function rebuildTensor(name: string) {
  return callable(name, (args) => {
    const [storage, offset, size, stride] = args;
    const shape = intTuple(size);
    const strides = intTuple(stride);
    if (!(storage instanceof StorageRef) || !isInt(offset) || !shape || !strides || shape.length !== strides.length) {
      throw new Error(`${name}: unexpected arguments`);
    }
    return new TensorRef(storage, offset, shape, strides);
  });
}

const passTensor = (name: string) =>
  callable(name, (args) => {
    if (!(args[0] instanceof TensorRef)) throw new Error(`${name}: expected a tensor`);
    return args[0];
  });

const makeSet = (name: string) =>
  callable(name, (args) => new Set(args.length ? (args[0] as unknown[]) : []));

const ALLOWED: Record<string, unknown> = {
  "collections.OrderedDict": callable("collections.OrderedDict", (args) => {
    const m = new Map<unknown, unknown>();
    const items = args[0];
    if (Array.isArray(items)) for (const kv of items) if (kv instanceof PickleTuple && kv.items.length === 2) m.set(kv.items[0], kv.items[1]);
    return m;
  }),
  "torch._utils._rebuild_tensor_v2": rebuildTensor("torch._utils._rebuild_tensor_v2"),
  "torch._utils._rebuild_tensor": rebuildTensor("torch._utils._rebuild_tensor"),
  "torch._utils._rebuild_parameter": passTensor("torch._utils._rebuild_parameter"),
  "torch._utils._rebuild_parameter_with_state": passTensor("torch._utils._rebuild_parameter_with_state"),
  "torch._tensor._rebuild_from_type_v2": callable("torch._tensor._rebuild_from_type_v2", (args) => {
    const [fn, cls, inner] = args;
    if (!(cls instanceof TensorClass) || typeof fn !== "object" || fn === null || !("call" in fn) || !(inner instanceof PickleTuple)) {
      throw new Error("torch._tensor._rebuild_from_type_v2: unexpected arguments");
    }
    return (fn as PickleCallable).call(inner.items);
  }),
  "torch.Tensor": new TensorClass("torch.Tensor"),
  "torch.nn.parameter.Parameter": new TensorClass("torch.nn.parameter.Parameter"),
  "builtins.set": makeSet("builtins.set"),
  "builtins.frozenset": makeSet("builtins.frozenset"),
  "__builtin__.set": makeSet("__builtin__.set"),
  "__builtin__.frozenset": makeSet("__builtin__.frozenset"),
  // protocol-2 pickles encode `bytes` as _codecs.encode(text, "latin1"): decode it as data.
  "_codecs.encode": callable("_codecs.encode", (args) => {
    const [text, enc] = args;
    if (typeof text !== "string" || (enc !== "latin1" && enc !== "latin-1")) throw new Error("_codecs.encode: only latin1 text is accepted");
    return Uint8Array.from(text, (c) => c.charCodeAt(0));
  }),
};
for (const [cls, dtype] of Object.entries(STORAGES)) ALLOWED[`torch.${cls}`] = new DTypeMarker(`torch.${cls}`, dtype);
ALLOWED["torch.storage.UntypedStorage"] = new DTypeMarker("torch.storage.UntypedStorage", "U8");
for (const [name, dtype] of Object.entries(DTYPES)) ALLOWED[`torch.${name}`] = new DTypeMarker(`torch.${name}`, dtype);

/** Resolves a global of a torch checkpoint, or `undefined` (refused) for anything not on the list. */
export function resolveTorchGlobal(module: string, name: string): unknown {
  const key = `${module}.${name}`;
  return Object.hasOwn(ALLOWED, key) ? ALLOWED[key] : undefined;
}

/** The names this reader accepts, for documentation and tests. */
export const allowedTorchGlobals: readonly string[] = Object.freeze(Object.keys(ALLOWED).sort());
