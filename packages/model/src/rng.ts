import { createRng } from "@transseg/datasets";

/** A small seeded PRNG (mulberry32, the datasets package's) so that initialisation is identical on every backend. */
export function mulberry32(seed: number): () => number {
  return createRng(seed).next;
}

/** FNV-1a hash of a string, mixed with a seed: one independent stream per parameter name. */
export function hashSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Standard normal samples (Box–Muller). */
export function normalSamples(n: number, rand: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - rand();
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}
