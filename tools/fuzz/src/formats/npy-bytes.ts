/** `.npy` bytes for seeds, the header's fields and boundaries, and header-dict mutations (descr, shape, fortran_order). */
import type { Field, Layout } from "../mutate.js";
import type { Rng } from "../rng.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** A `.npy` file with `dictText` as its header (padded to 64 bytes as NumPy does; `lengthDelta` makes the length field lie). */
export function npyWithHeader(dictText: string, data: Uint8Array, version: 1 | 2 = 1, lengthDelta = 0): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  const raw = new TextEncoder().encode(dictText);
  const padded = Math.ceil((pre + raw.length + 1) / 64) * 64 - pre;
  const out = new Uint8Array(pre + padded + data.length);
  out.set(MAGIC);
  out[6] = version;
  out[7] = 0;
  const v = new DataView(out.buffer);
  if (version === 1) v.setUint16(8, (padded + lengthDelta) & 0xffff, true);
  else v.setUint32(8, (padded + lengthDelta) >>> 0, true);
  out.set(raw, pre);
  out.fill(0x20, pre + raw.length, pre + padded - 1);
  out[pre + padded - 1] = 0x0a;
  out.set(data, pre + padded);
  return out;
}

export function npyBytes(descr: string, shape: readonly number[], data: Uint8Array, options: { fortran?: boolean; version?: 1 | 2 } = {}): Uint8Array {
  const s = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  return npyWithHeader(`{'descr': '${descr}', 'fortran_order': ${options.fortran ? "True" : "False"}, 'shape': ${s}, }`, data, options.version ?? 1);
}

/** Header text, data and version of an `.npy`, or null when the prefix is unreadable. */
export function splitNpy(bytes: Uint8Array): { text: string; data: Uint8Array; version: 1 | 2 } | null {
  if (bytes.length < 12 || !MAGIC.every((b, i) => bytes[i] === b)) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[6] === 1 ? 1 : bytes[6] === 2 ? 2 : null;
  if (!version) return null;
  const pre = version === 1 ? 10 : 12;
  const len = version === 1 ? v.getUint16(8, true) : v.getUint32(8, true);
  if (pre + len > bytes.length) return null;
  return { text: new TextDecoder("latin1").decode(bytes.subarray(pre, pre + len)).trimEnd(), data: bytes.subarray(pre + len), version };
}

export function npyLayout(bytes: Uint8Array): Layout {
  const fields: Field[] = [
    { name: "version.major", at: 6, width: 1, kind: "uint", little: true },
    { name: "version.minor", at: 7, width: 1, kind: "uint", little: true },
    bytes[6] === 1 ? { name: "header_len", at: 8, width: 2, kind: "uint", little: true } : { name: "header_len", at: 8, width: 4, kind: "uint", little: true },
  ];
  const split = splitNpy(bytes);
  const start = split ? bytes.length - split.data.length : 0;
  const boundaries = [0, 6, 8, 10, 12, start, bytes.length];
  if (split) for (const f of [0.25, 0.5, 0.75]) boundaries.push(start + Math.floor(split.data.length * f));
  return { boundaries, fields };
}

const DESCRS = ["<f4", ">f8", "|b1", "<i8", "|u1", "<f2", "|O", "<c8", "<U4", "|V8", "<M8[s]", "f4", "<f16", "", "<i4", ">i2", "|i1", "<u8", "<f8"];
const SHAPES = ["()", "(0,)", "(3,)", "(2147483648,)", "(-1,)", "(1.5,)", "(9007199254740993,)", "(3L,)", "(,)", "( )", "(1, 1, 1, 1)", "(4294967296, 4294967296)", "(0, 4294967296)", `(${Array(40).fill(1).join(", ")})`, "(2, 3", "[2, 3]"];

/** descr, shape or fortran_order replaced, a key dropped or duplicated, or the length field made to lie. */
export function mutateNpyHeader(bytes: Uint8Array, rng: Rng): { bytes: Uint8Array; note: string } | null {
  const split = splitNpy(bytes);
  if (!split) return null;
  let text = split.text;
  const kind = rng.pick(["descr", "shape", "fortran", "drop", "dupe", "length", "version"] as const);
  let delta = 0;
  let version = split.version;
  if (kind === "descr") text = text.replace(/(['"]descr['"]\s*:\s*)['"][^'"]*['"]/, `$1'${rng.pick(DESCRS)}'`);
  else if (kind === "shape") text = text.replace(/(['"]shape['"]\s*:\s*)\([^)]*\)/, `$1${rng.pick(SHAPES)}`);
  else if (kind === "fortran") text = text.replace(/(['"]fortran_order['"]\s*:\s*)\w+/, `$1${rng.pick(["True", "False", "maybe", "1"])}`);
  else if (kind === "drop") text = text.replace(rng.pick([/['"]descr['"]\s*:\s*['"][^'"]*['"],?/, /['"]shape['"]\s*:\s*\([^)]*\),?/, /['"]fortran_order['"]\s*:\s*\w+,?/]), "");
  else if (kind === "dupe") text = text.replace("{", `{'shape': ${rng.pick(SHAPES)}, 'descr': '${rng.pick(DESCRS)}', `);
  else if (kind === "length") delta = rng.pick([-64, -1, 1, 64, 65535, 1 << 20]);
  else version = version === 1 ? 2 : 1;
  return { bytes: npyWithHeader(text, split.data, version, delta), note: `npy ${kind}: ${text.slice(0, 90)}${delta ? ` (length ${delta})` : ""}` };
}

/** A little sample of arrays: [name, descr, shape, bytes, fortran]. */
export function sampleArrays(): [string, string, number[], Uint8Array, boolean][] {
  const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
  const be = (a: Float64Array) => { const b = bytes(a); for (let i = 0; i < b.length; i += 8) b.subarray(i, i + 8).reverse(); return b; };
  return [
    ["f32", "<f4", [2, 3], bytes(Float32Array.from([1, 2, 3, 4, 5, 6])), false],
    ["f64_be", ">f8", [3], be(Float64Array.from([0.5, 1, -2])), false],
    ["i64_fortran", "<i8", [2, 3], bytes(BigInt64Array.from([1n, 2n, 3n, 4n, 5n, 6n])), true],
    ["u8", "|u1", [4], Uint8Array.from([0, 1, 128, 255]), false],
    ["bool", "|b1", [2, 2], Uint8Array.from([1, 0, 0, 1]), false],
    ["f16", "<f2", [2], bytes(Uint16Array.from([0x3c00, 0xc000])), false],
    ["scalar", "<i4", [], bytes(Int32Array.from([42])), false],
    ["empty", "<f4", [0, 5], new Uint8Array(0), false],
  ];
}
