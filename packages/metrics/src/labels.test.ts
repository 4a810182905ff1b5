import { describe, expect, it } from "vitest";
import { resolveGrid } from "./grid.js";
import { boundingBox } from "./crop.js";
import { labelRange, labelsPresent, nonzeroRows } from "./labels.js";
import { pairStatistics } from "./pair-statistics.js";
import { randomBlobs, seededRandom } from "./testing/index.js";

describe("labels", () => {
  it("labelsPresent lists distinct labels ascending, for any numeric array", () => {
    expect(labelsPresent(new Uint8Array([3, 0, 3, 11, 1]))).toEqual([0, 1, 3, 11]);
    expect(labelsPresent(new Int16Array([-2, 5, -2]))).toEqual([-2, 5]);
    expect(labelsPresent(new Float32Array([2, 2, 7]))).toEqual([2, 7]);
    expect(labelsPresent(new Int32Array([0, 2_000_000, 5]))).toEqual([0, 5, 2_000_000]);
  });

  it("float labels must be integral", () => {
    expect(() => labelRange(new Float32Array([1, 1.5]), "pred")).toThrow("pred: voxel 1 holds 1.5, which is not an integer label");
    expect(() => labelsPresent(new Float64Array([Number.NaN]), "gt")).toThrow(/gt: voxel 0 holds NaN/);
  });

  it("pairStatistics: counts, bounding boxes and overlap per label (3D, axis 0 fastest)", () => {
    const grid = resolveGrid({ shape: [4, 3, 2] }, 24);
    const v = new Uint8Array(24);
    const at = (x: number, y: number, z: number) => x + 4 * (y + 3 * z);
    v[at(1, 0, 0)] = 2;
    v[at(2, 0, 0)] = 2;
    v[at(3, 2, 1)] = 2;
    v[at(0, 1, 1)] = 1;
    const g = new Uint8Array(24);
    g[at(1, 0, 0)] = 2;
    for (const countZero of [true, false]) {
      const s = pairStatistics(v, g, grid, 0, 3, countZero, nonzeroRows(v, 4), nonzeroRows(g, 4));
      expect(Array.from(s.pred.count)).toEqual([countZero ? 20 : 0, 1, 3]);
      expect(Array.from(s.gt.count)).toEqual([countZero ? 23 : 0, 0, 1]);
      expect(Array.from(s.overlap)).toEqual([countZero ? 20 : 0, 0, 1]);
      expect(Array.from(s.pred.lo.subarray(6, 9))).toEqual([1, 0, 0]);
      expect(Array.from(s.pred.hi.subarray(6, 9))).toEqual([3, 2, 1]);
      expect(Array.from(s.pred.lo.subarray(3, 6))).toEqual([0, 1, 1]);
      expect(Array.from(s.pred.hi.subarray(3, 6))).toEqual([0, 1, 1]);
    }
  });

  it("nonzeroRows: word-wise and value-wise paths agree (aligned, unaligned, float, plain arrays)", () => {
    const rnd = seededRandom(3);
    const base = new Uint8Array(1 + 8 * 30);
    for (let i = 0; i < base.length; i++) base[i] = rnd() < 0.02 ? 1 + Math.floor(rnd() * 3) : 0;
    const aligned = base.subarray(0, 8 * 30);
    const unaligned = base.subarray(1); // byteOffset 1: value-wise path
    for (const a of [aligned, unaligned, Float32Array.from(aligned), Int16Array.from(unaligned), Array.from(aligned)]) {
      const rows = nonzeroRows(a, 8);
      const expected = Array.from({ length: 30 }, (_, r) => (Array.from(a).slice(r * 8, r * 8 + 8).some((v) => v !== 0) ? 1 : 0));
      expect(Array.from(rows)).toEqual(expected);
      expect(rows.includes(0) && rows.includes(1)).toBe(true);
    }
    // -0 is a zero label but not zero bits: the row is scanned, its labels stay right
    const f = new Float32Array([0, -0, 0, 0]);
    expect(labelRange(f, "f", 4, nonzeroRows(f, 4))).toEqual({ min: 0, max: 0 });
  });

  it("pairStatistics skipping zero rows equals a plain count on random volumes", () => {
    const shape = [8, 7, 6];
    const grid = resolveGrid({ shape }, 336);
    const p = randomBlobs(shape, 3, 41);
    const g = randomBlobs(shape, 3, 42);
    const s = pairStatistics(Float32Array.from(p), Int16Array.from(g), grid, 0, 4, false, nonzeroRows(p, 8), nonzeroRows(g, 8));
    for (let l = 1; l < 4; l++) {
      expect(s.pred.count[l]).toBe(p.filter((v) => v === l).length);
      expect(s.gt.count[l]).toBe(g.filter((v) => v === l).length);
      expect(s.overlap[l]).toBe(p.filter((v, i) => v === l && g[i] === l).length);
      const box = boundingBox(p, grid, l)!;
      expect(Array.from(s.pred.lo.subarray(l * 3, l * 3 + 3))).toEqual(box.lo);
      expect(Array.from(s.pred.hi.subarray(l * 3, l * 3 + 3))).toEqual(box.hi);
    }
  });

  it("pairStatistics finding zero rows as it goes (word views, or flags for unaligned rows) equals the flagged pass", () => {
    const shape = [8, 7, 6];
    const grid = resolveGrid({ shape }, 336);
    const p = randomBlobs(shape, 3, 43);
    const g = randomBlobs(shape, 3, 44);
    const shifted = new Uint8Array(337);
    shifted.set(g, 1);
    const unaligned = shifted.subarray(1); // byteOffset 1: no word view, flags first
    const expected = pairStatistics(p, g, grid, 0, 4, false, nonzeroRows(p, 8), nonzeroRows(g, 8));
    for (const [a, b] of [[p, g], [p, unaligned], [Int16Array.from(p), Float32Array.from(g)]] as const) {
      const s = pairStatistics(a, b, grid, 0, 4, false);
      expect(Array.from(s.pred.count)).toEqual(Array.from(expected.pred.count));
      expect(Array.from(s.gt.count)).toEqual(Array.from(expected.gt.count));
      expect(Array.from(s.overlap)).toEqual(Array.from(expected.overlap));
      expect(Array.from(s.pred.lo)).toEqual(Array.from(expected.pred.lo));
      expect(Array.from(s.gt.hi)).toEqual(Array.from(expected.gt.hi));
    }
    expect(expected.pred.count[1]! * expected.gt.count[2]!).toBeGreaterThan(0);
    expect(nonzeroRows(p, 8).includes(0)).toBe(true); // some rows are skipped
  });

  it("grid validation names the input and the problem", () => {
    expect(() => resolveGrid({ shape: [2, 2] }, 5, "pred")).toThrow("pred: has 5 voxels but shape [2, 2] needs 4");
    expect(() => resolveGrid({ shape: [2, 2], spacing: [1] }, 4, "gt")).toThrow(/gt: spacing \[1\] has 1 values/);
    expect(() => resolveGrid({ shape: [2, 2], spacing: [1, 0] }, 4)).toThrow(/finite positive/);
    expect(() => resolveGrid({ shape: [2.5] }, 2)).toThrow(/not a positive integer/);
  });
});
