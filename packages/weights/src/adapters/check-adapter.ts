/**
 * The plugin rules of the adapter conformance kit as one call that throws, without a test
 * runner and without a sample checkpoint: what a program (e.g. the CLI's `--plugin`) runs on an
 * adapter it loads. `testAdapter` (`@transseg/weights/testing`) runs these and the sample checks.
 */
import type { SourceAdapter } from "../adapter.js";

/** Keys that belong to no checkpoint layout: an adapter that claims them claims everything. */
export const FOREIGN_KEYS: readonly string[] = ["totally.unrelated.weight", "another.bias"];

/**
 * Throws one line naming the first broken rule: a kebab-case `id`, a description (more than 10
 * characters), `detect` and `toCanonical` functions (`unmappedKeys` a function when present),
 * and `detect` false for no keys and for keys of no layout.
 */
export function checkAdapterConformance(adapter: SourceAdapter): void {
  if (typeof adapter !== "object" || adapter === null) throw new Error(`a source adapter is an object, got ${adapter === null ? "null" : typeof adapter}`);
  const id = String(adapter.id);
  if (typeof adapter.id !== "string" || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(adapter.id)) throw new Error(`source adapter id "${id}" must be lower-case kebab-case (letters, digits, dashes)`);
  if (typeof adapter.description !== "string" || adapter.description.trim().length <= 10) throw new Error(`source adapter "${id}" needs a description (more than 10 characters)`);
  for (const fn of ["detect", "toCanonical"] as const) if (typeof adapter[fn] !== "function") throw new Error(`source adapter "${id}" has no ${fn} function`);
  if (adapter.unmappedKeys !== undefined && typeof adapter.unmappedKeys !== "function") throw new Error(`source adapter "${id}": unmappedKeys must be a function when given`);
  const claims = (keys: readonly string[]) => {
    try {
      return adapter.detect(keys);
    } catch (e) {
      throw new Error(`source adapter "${id}": detect([${keys.join(", ")}]) threw: ${String((e as Error)?.message ?? e).split("\n")[0]}`);
    }
  };
  if (claims([]) !== false) throw new Error(`source adapter "${id}" detects a checkpoint with no tensors (detect([]) must be false)`);
  if (claims(FOREIGN_KEYS) !== false) throw new Error(`source adapter "${id}" detects keys of no layout (${FOREIGN_KEYS.join(", ")}): detect must be false for them`);
}
