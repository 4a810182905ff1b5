import { describe, expect, it } from "vitest";
import { percentile, percentileOfSorted, selectKth } from "./percentile.js";
import { seededRandom } from "./testing/index.js";

describe("percentile (NumPy 'linear')", () => {
  it("hand-computed: virtual index (n - 1) q / 100, linear between neighbours", () => {
    // n = 4: index 2.85 -> 3 + 0.85 (4 - 3)
    expect(percentile([4, 1, 3, 2], 95)).toBeCloseTo(3.85, 15);
    // n = 2: index 0.95 -> 0 + 0.95 * 10
    expect(percentile([0, 10], 95)).toBeCloseTo(9.5, 15);
    // n = 21 with values 0..20: index 19 exactly
    expect(percentile(Array.from({ length: 21 }, (_, i) => i), 95)).toBe(19);
    expect(percentile([0, 10], 50)).toBe(5);
    expect(percentile([7, 3, 5], 0)).toBe(3);
    expect(percentile([7, 3, 5], 100)).toBe(7);
    expect(percentile([42], 95)).toBe(42);
  });

  it("interpolates from the nearer end as NumPy's _lerp does (values from np.percentile)", () => {
    // t = 0.95 >= 0.5: b - (b - a)(1 - t) = 5.0409999999999995, while a + (b - a) t = 5.041
    expect(percentileOfSorted([2.59, 5.17], 95)).toBe(5.0409999999999995);
    // t = 0.25 < 0.5 (n = 5, q = 6.25: index 0.25): a + (b - a) t
    expect(percentileOfSorted([2.59, 5.17, 7, 8, 9], 6.25)).toBe(3.235);
  });

  it("empty is NaN; q outside [0, 100] is an error; input is not modified", () => {
    expect(percentile([], 95)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(/percentile 101 is outside/);
    const v = new Float64Array([3, 1, 2]);
    percentile(v, 50);
    expect(Array.from(v)).toEqual([3, 1, 2]);
  });
});

describe("selection equals sorting", () => {
  it("percentile by selection equals percentileOfSorted on random data with many ties", () => {
    const rnd = seededRandom(9);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rnd() * 200);
      const levels = 1 + Math.floor(rnd() * 20);
      const v = Array.from({ length: n }, () => Math.sqrt(Math.floor(rnd() * levels)) * 0.7);
      const sorted = [...v].sort((a, b) => a - b);
      for (const q of [0, 5, 50, 95, 99.9, 100]) expect(percentile(v, q)).toBe(percentileOfSorted(sorted, q));
      const k = Math.floor(rnd() * n);
      expect(selectKth(Float64Array.from(v), k)).toBe(sorted[k]);
    }
  });
});
