/**
 * Shared machinery for rename-style adapters: a rule maps each source key to a canonical name,
 * to a slice of a fused tensor (q/k/v -> qkv), or to nothing (dropped). Keys without a rule
 * make `toCanonical` fail, so nothing is lost silently.
 */
import { LayoutError } from "../errors.js";
import { DTYPE_BYTES, numel, type TensorData, type TensorEntry, type TensorMap } from "../tensor.js";
import { viewAs } from "../typed-arrays.js";

export type KeyRule =
  | { readonly to: string }
  | { readonly drop: true }
  /** Part `part` of `parts`, concatenated along dimension 0 into `fuse`. */
  | { readonly fuse: string; readonly part: number; readonly parts: number };

export type RuleFn = (key: string) => KeyRule | undefined;

export function unmapped(keys: readonly string[], rule: RuleFn): string[] {
  return keys.filter((k) => rule(k) === undefined);
}

/** Concatenates entries along dimension 0, lazily. */
export function concatDim0(name: string, parts: readonly TensorEntry[]): TensorEntry {
  const first = parts[0]!;
  const rest = first.shape.slice(1);
  for (const p of parts) {
    if (p.dtype !== first.dtype || p.shape.length !== first.shape.length || p.shape.slice(1).some((d, i) => d !== rest[i])) {
      throw new LayoutError(`cannot fuse ${name}: parts differ (${parts.map((q) => `${q.dtype}[${q.shape.join(", ")}]`).join(" vs ")})`);
    }
  }
  const shape = Object.freeze([parts.reduce((s, p) => s + p.shape[0]!, 0), ...rest]);
  return {
    dtype: first.dtype,
    shape,
    read(): TensorData {
      const out = new Uint8Array(numel(shape) * DTYPE_BYTES[first.dtype]);
      let at = 0;
      for (const p of parts) {
        const d = p.read();
        out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), at);
        at += d.byteLength;
      }
      return viewAs(first.dtype, out);
    },
  };
}

/** Applies a rule to every entry; throws a LayoutError naming unmappable keys or incomplete fusions. */
export function applyRules(layout: string, map: TensorMap, rule: RuleFn): TensorMap {
  const bad = unmapped([...map.keys()], rule);
  if (bad.length) throw new LayoutError(`${layout} layout: cannot map ${describeKeys(bad)}`);
  const out = new Map<string, TensorEntry>();
  const fused = new Map<string, (TensorEntry | undefined)[]>();
  const put = (name: string, entry: TensorEntry, from: string) => {
    if (out.has(name)) throw new LayoutError(`${layout} layout: two keys map to ${name} (one is ${from})`);
    out.set(name, entry);
  };
  for (const [key, entry] of map) {
    const r = rule(key)!;
    if ("drop" in r) continue;
    if ("to" in r) put(r.to, entry, key);
    else {
      const slots = fused.get(r.fuse) ?? new Array<TensorEntry | undefined>(r.parts).fill(undefined);
      slots[r.part] = entry;
      fused.set(r.fuse, slots);
    }
  }
  for (const [name, slots] of fused) {
    const missing = slots.map((s, i) => (s ? -1 : i)).filter((i) => i >= 0);
    if (missing.length) throw new LayoutError(`${layout} layout: ${name} needs ${slots.length} parts but part(s) ${missing.join(", ")} are missing`);
    put(name, concatDim0(name, slots as TensorEntry[]), name);
  }
  return out;
}

export function describeKeys(keys: readonly string[], max = 5): string {
  const shown = keys.slice(0, max).join(", ");
  return keys.length > max ? `${shown} (+${keys.length - max} more)` : shown;
}

/** Detection for rule adapters: some key shows the layout (`marker`) and every key has a rule. */
export function fitsRules(keys: readonly string[], rule: RuleFn, marker: (keys: readonly string[]) => boolean): boolean {
  return keys.length > 0 && marker(keys) && keys.every((k) => rule(k) !== undefined);
}
