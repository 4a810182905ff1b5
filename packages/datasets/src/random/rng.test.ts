import { describe, expect, it } from "vitest";
import { createRng, deriveSeed, shuffle } from "./rng.js";

describe("createRng (mulberry32)", () => {
  it("produces the published mulberry32 stream for seed 0", () => {
    // First outputs of mulberry32(0) as 32-bit integers, computed from the algorithm's definition
    // by hand-running the recurrence in a separate BigInt implementation below.
    const ref = (seed: number, n: number): number[] => {
      const M = 2n ** 32n;
      const imul = (a: bigint, b: bigint) => (a * b) % M;
      let s = BigInt(seed >>> 0);
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        s = (s + 0x6d2b79f5n) % M;
        let t = s;
        t = imul(t ^ (t >> 15n), t | 1n);
        t = (t ^ ((t + imul(t ^ (t >> 7n), t | 61n)) % M)) % M;
        out.push(Number(t ^ (t >> 14n)) / 4294967296);
      }
      return out;
    };
    for (const seed of [0, 1, 1234, 0xffffffff]) {
      const rng = createRng(seed);
      const got = Array.from({ length: 20 }, () => rng.next());
      expect(got).toEqual(ref(seed, 20));
    }
  });

  it("is deterministic and stays in range", () => {
    const a = createRng(42);
    const b = createRng(42);
    for (let i = 0; i < 1000; i++) {
      const x = a.next();
      expect(x).toBe(b.next());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    const r = createRng(7);
    for (let i = 0; i < 1000; i++) {
      const k = r.int(5);
      expect(Number.isInteger(k) && k >= 0 && k < 5).toBe(true);
      const u = r.uniform(-2, 3);
      expect(u >= -2 && u < 3).toBe(true);
    }
  });

  it("normal() has mean ~0 and variance ~1", () => {
    const r = createRng(3);
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      s += v;
      s2 += v * v;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
  });

  it("chance(p) hits about p of the time", () => {
    const r = createRng(11);
    let hits = 0;
    for (let i = 0; i < 10000; i++) if (r.chance(0.1)) hits++;
    expect(hits).toBeGreaterThan(850);
    expect(hits).toBeLessThan(1150);
  });
});

describe("deriveSeed", () => {
  it("is a pure function of its parts and separates neighbours", () => {
    expect(deriveSeed(1234, 5)).toBe(deriveSeed(1234, 5));
    expect(deriveSeed(1234, 5)).not.toBe(deriveSeed(1234, 6));
    expect(deriveSeed(1234, 5, 0)).not.toBe(deriveSeed(1234, 5));
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(deriveSeed(1, i));
    expect(seen.size).toBe(1000);
  });
});

describe("shuffle (Fisher–Yates)", () => {
  it("returns a permutation, leaves the input alone, and is seeded", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = shuffle(items, createRng(1234));
    expect(items).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(a).not.toEqual(items);
    expect(shuffle(items, createRng(1234))).toEqual(a);
    expect(shuffle(items, createRng(1235))).not.toEqual(a);
  });

  it("is uniform over the 6 permutations of 3 items", () => {
    const rng = createRng(5);
    const counts = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const key = shuffle([0, 1, 2], rng).join("");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(120);
  });
});
