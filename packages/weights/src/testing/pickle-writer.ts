/**
 * A tiny protocol-2 pickle writer for building test checkpoints (including hostile ones) without
 * Python. Values: null, boolean, integer numbers and bigints, strings, Uint8Array (bytes),
 * arrays (lists) and the `py.*` wrappers below. An object used twice is memoized (BINGET), as
 * Python's pickler does for shared storages.
 */

export class PyTuple { constructor(readonly items: readonly Py[]) {} }
export class PyDict { constructor(readonly entries: readonly (readonly [Py, Py])[]) {} }
export class PyGlobal { constructor(readonly module: string, readonly name: string) {} }
export class PyReduce { constructor(readonly fn: Py, readonly args: PyTuple) {} }
export class PyPersId { constructor(readonly pid: Py) {} }
export class PyFloat { constructor(readonly value: number) {} }
export class PyBuild { constructor(readonly obj: Py, readonly state: Py) {} }
/** `collections.OrderedDict` built as Python pickles it: REDUCE with no arguments, then SETITEMS. */
export class PyOrderedDict { constructor(readonly entries: readonly (readonly [Py, Py])[]) {} }

export type Py = null | boolean | number | bigint | string | Uint8Array | Py[] | PyTuple | PyDict | PyGlobal | PyReduce | PyPersId | PyFloat | PyBuild | PyOrderedDict;

export const py = {
  tuple: (...items: Py[]) => new PyTuple(items),
  dict: (entries: Record<string, Py> | readonly (readonly [Py, Py])[]) =>
    new PyDict(Array.isArray(entries) ? (entries as readonly (readonly [Py, Py])[]) : Object.entries(entries)),
  global: (module: string, name: string) => new PyGlobal(module, name),
  reduce: (fn: Py, ...args: Py[]) => new PyReduce(fn, new PyTuple(args)),
  persid: (pid: Py) => new PyPersId(pid),
  float: (value: number) => new PyFloat(value),
  build: (obj: Py, state: Py) => new PyBuild(obj, state),
  ordered: (entries: Record<string, Py>) => new PyOrderedDict(Object.entries(entries)),
};

export function pickle(value: Py): Uint8Array {
  const out: number[] = [0x80, 2];
  const memo = new Map<object, number>();
  const u32 = (v: number) => out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  const put = (o: object) => {
    const i = memo.size;
    memo.set(o, i);
    if (i < 256) out.push(0x71, i);
    else { out.push(0x72); u32(i); }
  };
  const int = (v: bigint) => {
    if (v >= 0n && v < 256n) out.push(0x4b, Number(v));
    else if (v >= 0n && v < 65536n) out.push(0x4d, Number(v) & 0xff, Number(v) >> 8);
    else if (v >= -(2n ** 31n) && v < 2n ** 31n) { out.push(0x4a); u32(Number(BigInt.asUintN(32, v))); }
    else {
      const bytes: number[] = [];
      let x = v;
      while (x !== 0n && x !== -1n) { bytes.push(Number(x & 0xffn)); x >>= 8n; }
      if (v >= 0n && (bytes[bytes.length - 1]! & 0x80)) bytes.push(0);
      if (v < 0n && !(bytes[bytes.length - 1]! & 0x80)) bytes.push(0xff);
      out.push(0x8a, bytes.length, ...bytes);
    }
  };
  const enc = (v: Py): void => {
    if (v === null) { out.push(0x4e); return; }
    if (v === true || v === false) { out.push(v ? 0x88 : 0x89); return; }
    if (typeof v === "number") {
      if (Number.isInteger(v)) int(BigInt(v));
      else enc(new PyFloat(v));
      return;
    }
    if (typeof v === "bigint") { int(v); return; }
    if (typeof v === "string") {
      const b = new TextEncoder().encode(v);
      out.push(0x58); u32(b.length); out.push(...b);
      return;
    }
    const seen = memo.get(v);
    if (seen !== undefined) {
      if (seen < 256) out.push(0x68, seen);
      else { out.push(0x6a); u32(seen); }
      return;
    }
    if (v instanceof PyFloat) {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setFloat64(0, v.value, false);
      out.push(0x47, ...b);
      return;
    }
    if (v instanceof Uint8Array) { out.push(0x42); u32(v.length); out.push(...v); }
    else if (Array.isArray(v)) { out.push(0x5d); if (v.length) { out.push(0x28); v.forEach(enc); out.push(0x65); } }
    else if (v instanceof PyTuple) { out.push(0x28); v.items.forEach(enc); out.push(0x74); }
    else if (v instanceof PyDict) { out.push(0x7d); if (v.entries.length) { out.push(0x28); for (const [k, x] of v.entries) { enc(k); enc(x); } out.push(0x75); } }
    else if (v instanceof PyGlobal) { out.push(0x63, ...new TextEncoder().encode(`${v.module}\n${v.name}\n`)); }
    else if (v instanceof PyReduce) { enc(v.fn); enc(v.args); out.push(0x52); }
    else if (v instanceof PyPersId) { enc(v.pid); out.push(0x51); }
    else if (v instanceof PyBuild) { enc(v.obj); enc(v.state); out.push(0x62); }
    else if (v instanceof PyOrderedDict) {
      enc(py.global("collections", "OrderedDict")); out.push(0x29, 0x52);
      put(v);
      if (v.entries.length) { out.push(0x28); for (const [k, x] of v.entries) { enc(k); enc(x); } out.push(0x75); }
      return;
    }
    else throw new Error(`cannot pickle ${String(v)}`);
    put(v);
  };
  enc(value);
  out.push(0x2e);
  return Uint8Array.from(out);
}
