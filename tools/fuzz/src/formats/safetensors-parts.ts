/** A safetensors file split into its JSON header and data, mutated with the header's meaning in mind, and put back together. */
import { mutateJson } from "../json-mutate.js";
import type { Field, Layout } from "../mutate.js";
import type { Rng } from "../rng.js";

export interface SafetensorsParts {
  header: Record<string, unknown>;
  data: Uint8Array;
}

export function splitSafetensors(bytes: Uint8Array): SafetensorsParts | null {
  if (bytes.length < 8) return null;
  const len = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (8 + len > bytes.length) return null;
  try {
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len))) as unknown;
    if (typeof header !== "object" || header === null || Array.isArray(header)) return null;
    return { header: header as Record<string, unknown>, data: bytes.subarray(8 + len) };
  } catch {
    return null;
  }
}

/** Header text + data with an 8-byte length prefix (`lengthDelta` makes it lie). */
export function joinSafetensors(headerText: string, data: Uint8Array, lengthDelta = 0): Uint8Array {
  const h = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(h.length + lengthDelta)), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

export function safetensorsLayout(bytes: Uint8Array): Layout {
  const fields: Field[] = [{ name: "header_length", at: 0, width: 8, kind: "uint", little: true }];
  const parts = splitSafetensors(bytes);
  if (!parts) return { boundaries: [0, 8, bytes.length], fields };
  const start = bytes.length - parts.data.length;
  const boundaries = [0, 8, start, bytes.length];
  for (const v of Object.values(parts.header)) {
    const o = (v as { data_offsets?: unknown } | null)?.data_offsets;
    if (Array.isArray(o)) for (const x of o) if (typeof x === "number") boundaries.push(start + x);
  }
  return { boundaries, fields };
}

const DTYPES = ["F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL", "F8_E4M3", "C64", "U64", "", "f32", 7, null];
const EXTREME = [0, 1, -1, 1.5, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 64, 1e300, "3", null];

/** One mutation of the header (dtype, shape, offsets, metadata, or anything in the JSON). */
export function mutateSafetensors(bytes: Uint8Array, rng: Rng): { bytes: Uint8Array; note: string } | null {
  const parts = splitSafetensors(bytes);
  if (!parts) return null;
  const { header, data } = parts;
  const names = Object.keys(header).filter((k) => k !== "__metadata__");
  const kind = rng.weighted([[3, "json"], [2, "dtype"], [2, "shape"], [2, "offsets"], [1, "metadata"]] as const);
  let note: string = kind;
  if (kind === "json") {
    const m = mutateJson(JSON.stringify(header), rng, ["dtype", "shape", "data_offsets", "__metadata__", ...names.slice(0, 3)]);
    const delta = rng.chance(0.15) ? rng.pick([-8, -1, 1, 8, 2 ** 20]) : 0;
    return { bytes: joinSafetensors(m.text, data, delta), note: `header ${m.note}${delta ? `, length ${delta > 0 ? "+" : ""}${delta}` : ""}` };
  }
  if (kind === "metadata") {
    header.__metadata__ = rng.pick<unknown>([{ a: 1 }, { a: { b: "c" } }, "text", ["a"], null, { a: null }, { "": "" }]);
    note = `__metadata__ := ${JSON.stringify(header.__metadata__)}`;
  } else if (names.length) {
    const name = rng.pick(names);
    const entry = header[name];
    type Entry = { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const t: Entry = typeof entry === "object" && entry !== null && !Array.isArray(entry) ? (entry as Entry) : (header[name] = {} as Entry) as Entry;
    if (kind === "dtype") t.dtype = rng.pick(DTYPES);
    else if (kind === "shape") {
      const shape = Array.isArray(t.shape) ? [...(t.shape as unknown[])] : [];
      const op = rng.pick(["reverse", "scale", "set", "push", "pop"] as const);
      if (op === "reverse") shape.reverse();
      else if (op === "scale" && shape.length) { const i = rng.below(shape.length); shape[i] = (shape[i] as number) * rng.pick([2, 2 ** 31, 2 ** 52, 0]); }
      else if (op === "set") { shape[rng.below(shape.length + 1)] = rng.pick(EXTREME); }
      else if (op === "push") shape.push(rng.pick([1, 0, 2 ** 20]));
      else shape.pop();
      t.shape = shape;
    } else {
      const o = Array.isArray(t.data_offsets) ? [...(t.data_offsets as unknown[])] : [0, 0];
      const op = rng.pick(["swap", "set", "shift", "past"] as const);
      if (op === "swap") o.reverse();
      else if (op === "set") o[rng.below(2)] = rng.pick(EXTREME);
      else if (op === "shift") { const d = rng.pick([1, -1, 4, 8]); o[0] = (o[0] as number) + d; o[1] = (o[1] as number) + d; }
      else o[1] = data.length + rng.int(1, 9);
      t.data_offsets = o;
    }
    note = `${kind} of "${name}": ${JSON.stringify(t).slice(0, 80)}`;
  }
  return { bytes: joinSafetensors(JSON.stringify(header), data), note };
}
