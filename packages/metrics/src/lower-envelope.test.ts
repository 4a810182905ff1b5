import { describe, expect, it } from "vitest";
import { envelopeScratch, lowerEnvelope } from "./lower-envelope.js";
import { seededRandom } from "./testing/index.js";

describe("lowerEnvelope (1D squared distance transform of a sampled function)", () => {
  it("equals min over p of f[p] + ((q - p) h)^2 on random functions with infinite samples", () => {
    const rnd = seededRandom(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rnd() * 40);
      const h = 0.3 + rnd() * 3;
      const f = new Float64Array(n);
      for (let i = 0; i < n; i++) f[i] = rnd() < 0.4 ? Number.POSITIVE_INFINITY : Math.floor(rnd() * 50) * rnd();
      // the line sits at offset 1 with stride 3 inside a larger buffer whose other values must not change
      const buf = new Float64Array(1 + 3 * n).fill(-1);
      for (let i = 0; i < n; i++) buf[1 + 3 * i] = f[i]!;
      const any = lowerEnvelope(buf, n, h, envelopeScratch(n), 1, 3);
      expect(any).toBe(f.some((v) => v !== Number.POSITIVE_INFINITY));
      const out = Array.from({ length: n }, (_, i) => buf[1 + 3 * i]!);
      expect(buf.filter((_, i) => i % 3 !== 1).every((v) => v === -1)).toBe(true);
      if (!any) {
        expect(out).toEqual(Array.from(f));
        continue;
      }
      for (let q = 0; q < n; q++) {
        let best = Number.POSITIVE_INFINITY;
        for (let p = 0; p < n; p++) {
          const d = (q - p) * h;
          best = Math.min(best, f[p]! + d * d);
        }
        expect(Math.abs(out[q]! - best)).toBeLessThanOrEqual(1e-12 * Math.max(1, best));
      }
    }
  });

  it("hand-computed: one site at 2, spacing 0.5", () => {
    const f = new Float64Array([Infinity, Infinity, 1, Infinity, Infinity]);
    lowerEnvelope(f, 5, 0.5, envelopeScratch(5));
    expect(Array.from(f)).toEqual([2, 1.25, 1, 1.25, 2]);
  });
});
