/**
 * Format-agnostic byte mutations, steered by a `Layout` (where a format's structures start and
 * end, and where its length, offset, count and type fields sit): bit flips, truncation at every
 * structural boundary, fields set to extremes, chunks deleted, duplicated or inserted.
 */
import type { Rng } from "./rng.js";

export type FieldKind = "int" | "uint" | "float";

/** A numeric field of a file format (e.g. a zip entry's compressed size). */
export interface Field {
  readonly at: number;
  readonly width: 1 | 2 | 4 | 8;
  readonly kind: FieldKind;
  readonly little: boolean;
  /** For the mutation note, e.g. `dim[3]`. */
  readonly name: string;
}

/** Where a file's structures begin and end, and its numeric fields. */
export interface Layout {
  readonly boundaries: readonly number[];
  readonly fields: readonly Field[];
}

export const EMPTY_LAYOUT: Layout = { boundaries: [], fields: [] };

/** A mutation's result: the new bytes and a short note saying what was done. */
export interface Mutated {
  readonly bytes: Uint8Array;
  readonly note: string;
}

export function flipBits(bytes: Uint8Array, rng: Rng): Mutated {
  const out = bytes.slice();
  if (out.length === 0) return { bytes: out, note: "flip (empty)" };
  const n = rng.weighted([[6, 1], [3, 2], [1, rng.int(3, 16)]] as const);
  const at: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = rng.below(out.length);
    out[i]! ^= 1 << rng.below(8);
    at.push(i);
  }
  return { bytes: out, note: `flip bits at ${at.join(",")}` };
}

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x20, 0x0a, 0x22, 0x7b, 0x7d] as const;

export function setBytes(bytes: Uint8Array, rng: Rng): Mutated {
  const out = bytes.slice();
  if (out.length === 0) return { bytes: out, note: "set (empty)" };
  const i = rng.below(out.length);
  const n = Math.min(out.length - i, rng.int(1, 4));
  const v = rng.pick(INTERESTING_BYTES);
  out.fill(v, i, i + n);
  return { bytes: out, note: `set ${n} byte(s) at ${i} to 0x${v.toString(16)}` };
}

/** Cut at a boundary (±2 bytes), or anywhere. */
export function truncate(bytes: Uint8Array, layout: Layout, rng: Rng): Mutated {
  const b = layout.boundaries.filter((x) => x >= 0 && x <= bytes.length);
  const at = b.length && rng.chance(0.8) ? Math.max(0, Math.min(bytes.length, rng.pick(b) + rng.int(-2, 2))) : rng.below(bytes.length + 1);
  return { bytes: bytes.slice(0, at), note: `truncate to ${at} of ${bytes.length}` };
}

function extremes(field: Field, size: number): readonly (number | bigint)[] {
  const bits = field.width * 8;
  if (field.kind === "float") return [0, -0, 1, -1, NaN, Infinity, -Infinity, 1e38, -1e38, 1e-38, 2 ** 31, 2 ** 53, 0.5, size, -size];
  const max = field.kind === "uint" ? 2n ** BigInt(bits) - 1n : 2n ** BigInt(bits - 1) - 1n;
  const min = field.kind === "uint" ? 0n : -(2n ** BigInt(bits - 1));
  const near = [0n, 1n, 2n, 7n, 8n, BigInt(size), BigInt(size) + 1n, BigInt(size) - 1n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n, 2n ** 63n - 1n];
  if (field.kind === "int") near.push(-1n, -2n, -(2n ** 31n));
  return [max, min, max - 1n, ...near.filter((v) => v >= min && v <= max)];
}

/** Writes `value` into `field` (wrapped to the field's width). */
export function writeField(bytes: Uint8Array, field: Field, value: number | bigint): void {
  if (field.at < 0 || field.at + field.width > bytes.length) return;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (field.kind === "float") {
    if (field.width === 4) v.setFloat32(field.at, Number(value), field.little);
    else if (field.width === 8) v.setFloat64(field.at, Number(value), field.little);
    return;
  }
  const big = BigInt.asUintN(field.width * 8, typeof value === "bigint" ? value : BigInt(Math.trunc(value)));
  if (field.width === 1) v.setUint8(field.at, Number(big));
  else if (field.width === 2) v.setUint16(field.at, Number(big), field.little);
  else if (field.width === 4) v.setUint32(field.at, Number(big), field.little);
  else v.setBigUint64(field.at, big, field.little);
}

/** Sets one field to an extreme (0, max, min, the file size ± 1, 2^31, 2^32, NaN, ...) or a random value. */
export function setField(bytes: Uint8Array, layout: Layout, rng: Rng): Mutated {
  const fields = layout.fields.filter((f) => f.at + f.width <= bytes.length);
  if (!fields.length) return flipBits(bytes, rng);
  const f = rng.pick(fields);
  const out = bytes.slice();
  const value = rng.chance(0.85) ? rng.pick(extremes(f, bytes.length)) : BigInt(rng.u32()) * (f.width === 8 ? BigInt(rng.u32()) : 1n);
  writeField(out, f, value);
  return { bytes: out, note: `${f.name} := ${String(value)}` };
}

/** Deletes, duplicates or inserts a chunk, starting at a boundary when there are any. */
export function splice(bytes: Uint8Array, layout: Layout, rng: Rng): Mutated {
  const b = layout.boundaries.filter((x) => x >= 0 && x <= bytes.length);
  const at = b.length && rng.chance(0.7) ? rng.pick(b) : rng.below(bytes.length + 1);
  const len = rng.weighted([[4, rng.int(1, 8)], [3, rng.int(9, 64)], [1, rng.int(65, 1024)]] as const);
  const kind = rng.pick(["delete", "duplicate", "insert"] as const);
  if (kind === "delete") {
    const out = new Uint8Array(bytes.length - Math.min(len, bytes.length - at));
    out.set(bytes.subarray(0, at));
    out.set(bytes.subarray(at + len), at);
    return { bytes: out, note: `delete ${len} at ${at}` };
  }
  const chunk = kind === "duplicate" ? bytes.slice(at, at + len) : rng.chance(0.5) ? rng.bytes(len) : new Uint8Array(len).fill(rng.pick(INTERESTING_BYTES));
  const out = new Uint8Array(bytes.length + chunk.length);
  out.set(bytes.subarray(0, at));
  out.set(chunk, at);
  out.set(bytes.subarray(at), at + chunk.length);
  return { bytes: out, note: `${kind} ${chunk.length} at ${at}` };
}

/** One of the generic byte mutations, weighted towards the layout-aware ones when a layout is known. */
export function mutateBytes(bytes: Uint8Array, layout: Layout, rng: Rng): Mutated {
  const known = layout.fields.length > 0;
  const kind = rng.weighted([[3, "flip"], [1, "set"], [2, "truncate"], [known ? 4 : 0, "field"], [1, "splice"]] as const);
  if (kind === "flip") return flipBits(bytes, rng);
  if (kind === "set") return setBytes(bytes, rng);
  if (kind === "truncate") return truncate(bytes, layout, rng);
  if (kind === "field") return setField(bytes, layout, rng);
  return splice(bytes, layout, rng);
}

/** Fields of one kind laid out back to back, e.g. eight int16 `dim` values. */
export function fieldRun(name: string, at: number, count: number, width: Field["width"], kind: FieldKind, little: boolean): Field[] {
  return Array.from({ length: count }, (_, i) => ({ at: at + i * width, width, kind, little, name: `${name}[${i}]` }));
}
