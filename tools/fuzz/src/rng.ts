/**
 * The fuzzer's seeded random numbers: xoshiro128** seeded through splitmix32 from a string key,
 * so input `i` of reader `r` under seed `s` is one pure function of (s, r, i) — any input can be
 * regenerated alone.
 */
export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  u32(): number;
  /** Integer in [0, n). */
  below(n: number): number;
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight: `[[weight, value], ...]`. */
  weighted<T>(items: readonly (readonly [number, T])[]): T;
  /** Random bytes. */
  bytes(n: number): Uint8Array;
}

/** FNV-1a of a string, for mixing text keys into a seed. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator for `key` (e.g. `"7/nifti/123"`). */
export function createRng(key: string): Rng {
  const init = splitmix32(fnv1a(key));
  const s = new Uint32Array([init(), init(), init(), init()]);
  if (!(s[0]! | s[1]! | s[2]! | s[3]!)) s[0] = 1;
  const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  const u32 = () => {
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  };
  const below = (n: number) => (n <= 1 ? 0 : n <= 2 ** 32 ? Math.floor((u32() / 2 ** 32) * n) : Math.floor(((u32() * 2 ** 21 + (u32() >>> 11)) / 2 ** 53) * n));
  return {
    u32,
    below,
    int: (lo, hi) => lo + below(hi - lo + 1),
    chance: (p) => u32() / 2 ** 32 < p,
    pick: (items) => items[below(items.length)]!,
    weighted(items) {
      const total = items.reduce((a, [w]) => a + w, 0);
      let r = (u32() / 2 ** 32) * total;
      for (const [w, v] of items) if ((r -= w) < 0) return v;
      return items[items.length - 1]![1];
    },
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = u32() & 0xff;
      return out;
    },
  };
}
