/**
 * Structure-aware JSON mutations: a random node of the parsed value is deleted, replaced by a
 * hostile value (wrong type, extreme number, huge or empty string, deep nesting), duplicated,
 * swapped or renamed; or the text is edited (duplicate keys, cut, flipped bytes).
 */
import { flipBits, splice, truncate, EMPTY_LAYOUT } from "./mutate.js";
import type { Rng } from "./rng.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function hostile(rng: Rng): Json {
  return rng.pick<() => Json>([
    () => null, () => true, () => false, () => 0, () => -1, () => 1.5, () => 2 ** 31, () => 2 ** 32, () => 2 ** 53, () => 2 ** 64,
    () => 1e308, () => -1e308, () => "", () => "x".repeat(rng.int(1, 5000)), () => "../../etc/passwd", () => "/dev/zero",
    () => "\u0000", () => "é\ud800", () => [], () => {
      let v: Json = [];
      for (let i = rng.int(1, 200); i > 0; i--) v = [v];
      return v;
    }, () => ({}), () => ({ "__proto__": 1 }), () => [1, 2, 3], () => ["a", "b"], () => rng.int(-10, 10),
  ])();
}

interface Slot {
  parent: Json[] | { [k: string]: Json };
  key: string | number;
}

/** Every place a value sits in `root` (iteratively: mutated inputs nest deeply), up to 10,000. */
function slots(root: Json): Slot[] {
  const out: Slot[] = [];
  const todo: Json[] = [root];
  while (todo.length && out.length < 10_000) {
    const value = todo.pop()!;
    if (Array.isArray(value)) value.forEach((v, i) => { out.push({ parent: value, key: i }); todo.push(v); });
    else if (value !== null && typeof value === "object") for (const k of Object.keys(value)) { out.push({ parent: value, key: k }); todo.push(value[k]!); }
  }
  return out;
}

const get = (s: Slot): Json => (Array.isArray(s.parent) ? s.parent[s.key as number]! : s.parent[s.key as string]!);
const set = (s: Slot, v: Json) => { if (Array.isArray(s.parent)) s.parent[s.key as number] = v; else s.parent[s.key as string] = v; };

/** Mutates a JSON text; `keys` are names worth inserting (the format's own field names). */
export function mutateJson(text: string, rng: Rng, keys: readonly string[] = []): { text: string; note: string } {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const kind = rng.weighted([[5, "node"], [1, "dupkey"], [1, "bytes"], [1, "cut"], [1, "deep"]] as const);
  if (kind === "bytes") {
    const m = rng.chance(0.5) ? flipBits(encoder.encode(text), rng) : splice(encoder.encode(text), EMPTY_LAYOUT, rng);
    return { text: decoder.decode(m.bytes), note: `json ${m.note}` };
  }
  if (kind === "cut") {
    const m = truncate(encoder.encode(text), EMPTY_LAYOUT, rng);
    return { text: decoder.decode(m.bytes), note: `json ${m.note}` };
  }
  if (kind === "deep") {
    const depth = rng.pick([100, 5000, 200_000]);
    return { text: "[".repeat(depth) + "]".repeat(depth), note: `json nested ${depth} deep` };
  }
  if (kind === "dupkey") {
    const i = text.indexOf("{");
    if (i < 0) return { text, note: "json dupkey (no object)" };
    const key = keys.length ? rng.pick(keys) : "a";
    return { text: `${text.slice(0, i + 1)}"${key}": ${JSON.stringify(hostile(rng))}, ${text.slice(i + 1)}`, note: `json duplicate key ${key}` };
  }
  try {
    return mutateNode(JSON.parse(text) as Json, rng, keys);
  } catch {
    // unparsable (an earlier mutation), or too deep to serialise again
    return { text: text + " ", note: "json (unparsable input)" };
  }
}

function mutateNode(root: Json, rng: Rng, keys: readonly string[]): { text: string; note: string } {
  const all = slots(root);
  if (!all.length) return { text: JSON.stringify(hostile(rng)), note: "json root replaced" };
  const s = rng.pick(all);
  const op = rng.weighted([[2, "delete"], [5, "replace"], [1, "duplicate"], [1, "rename"], [1, "insert"]] as const);
  let note = `json ${op} ${String(s.key)}`;
  if (op === "delete") {
    if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
    else delete s.parent[s.key as string];
  } else if (op === "replace") {
    const v = hostile(rng);
    set(s, v);
    note += ` := ${JSON.stringify(v).slice(0, 40)}`;
  } else if (op === "duplicate") {
    const v = get(s);
    if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 0, structuredClone(v));
    else s.parent[`${String(s.key)}_`] = structuredClone(v);
  } else if (op === "rename") {
    if (!Array.isArray(s.parent)) {
      const v = get(s);
      delete s.parent[s.key as string];
      const to = rng.pick(["", "__proto__", "constructor", String(s.key).toUpperCase(), `${String(s.key)} `, ...keys]);
      Object.defineProperty(s.parent, to, { value: v, enumerable: true, writable: true, configurable: true });
      note += ` -> ${to}`;
    }
  } else {
    const target = get(s);
    if (Array.isArray(target)) target.push(hostile(rng));
    else if (target !== null && typeof target === "object") target[keys.length ? rng.pick(keys) : "x"] = hostile(rng);
  }
  return { text: JSON.stringify(root, null, rng.chance(0.3) ? 1 : undefined), note };
}
