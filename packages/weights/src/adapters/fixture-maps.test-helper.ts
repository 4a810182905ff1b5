/** Test-only helpers for the adapter tests: fixture maps and in-memory tensor surgery. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readSafetensors } from "../formats/safetensors.js";
import { DTYPE_BYTES, f32Entry, numel, type TensorEntry, type TensorMap } from "../tensor.js";
import { viewAs } from "../typed-arrays.js";
import { sharedDir } from "../testing/shared-dir.js";

export const FIXTURES = sharedDir("fixtures");
export const haveFixtures = existsSync(join(FIXTURES, "beit2d.safetensors"));
export const noFixtures = haveFixtures ? undefined : `shared fixtures not found at ${FIXTURES}`;

/** The tensors of a fixture (empty when the fixtures are absent: the caller skips). */
export function fixture(name: string): Map<string, TensorEntry> {
  return haveFixtures ? new Map(readSafetensors(join(FIXTURES, name)).tensors) : new Map();
}

/** Rows `start .. start+count` of dimension 0, as an in-memory entry. */
export function rows(e: TensorEntry, start: number, count: number): TensorEntry {
  const per = numel(e.shape.slice(1)) * DTYPE_BYTES[e.dtype];
  const d = e.read();
  const bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice(start * per, (start + count) * per);
  const shape = [count, ...e.shape.slice(1)];
  const data = viewAs(e.dtype, bytes);
  return { dtype: e.dtype, shape, read: () => data.slice() };
}

/** A deterministic float32 entry (values k * scale + offset). */
export function ramp(shape: number[], scale = 0.01, offset = 0): TensorEntry {
  return f32Entry(shape, Float32Array.from({ length: numel(shape) }, (_, k) => k * scale + offset));
}

export function renameAll(map: TensorMap, rename: (key: string) => string | undefined): Map<string, TensorEntry> {
  const out = new Map<string, TensorEntry>();
  for (const [k, e] of map) {
    const to = rename(k);
    if (to !== undefined) out.set(to, e);
  }
  return out;
}
