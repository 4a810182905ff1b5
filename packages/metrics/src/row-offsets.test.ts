import { describe, expect, it } from "vitest";
import { rowPassOfList } from "./distance-transform.js";
import { resolveGrid } from "./grid.js";
import { MAX_COMPACT_ROW, rowOffsetsOfList, squaresTable } from "./row-offsets.js";
import { seededRandom } from "./testing/index.js";
import { MAX_COMPACT_AXIS1, windowedSquaredDistances, windowedSquaredDistances3d } from "./windowed-search.js";

/** Sorted distinct flat indices, each voxel a feature with probability `density` (at least one). */
function randomList(size: number, density: number, rnd: () => number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < size; i++) if (rnd() < density) out.push(i);
  if (out.length === 0) out.push(Math.floor(rnd() * size));
  return Int32Array.from(out);
}

const cases: [number[], number[]][] = [
  [[1, 5, 3], [0.7, 1, 2]],
  [[17, 4, 2], [1 / 3, 0.9, 2.5]],
  [[64, 3], [0.8, 1.1]],
  [[9, 11, 7], [0.8, 0.8, 2]],
  [[30], [0.1]],
];

describe("rowOffsetsOfList: the first pass in 2 bytes a voxel", () => {
  for (const [shape, spacing] of cases) {
    it(`${shape.join("x")}: squares[offset] is rowPassOfList's value, value for value`, () => {
      const grid = resolveGrid({ shape, spacing }, shape.reduce((a, b) => a * b, 1));
      const rnd = seededRandom(shape[0]! * 7 + shape.length);
      const sq = squaresTable(shape[0]!, spacing[0]!);
      for (const density of [0.001, 0.05, 0.5]) {
        const list = randomList(grid.size, density, rnd);
        const expected = rowPassOfList(list, grid);
        const offsets = rowOffsetsOfList(list, grid);
        for (let i = 0; i < grid.size; i++) expect(sq[offsets[i]!]).toBe(expected[i]);
      }
    });
  }

  it("writes into a longer buffer it is given (every value of its first size), and refuses rows past 16 bits", () => {
    const grid = resolveGrid({ shape: [5, 2] }, 10);
    const into = new Uint16Array(16).fill(999);
    const out = rowOffsetsOfList(Int32Array.from([2]), grid, into);
    expect(out.buffer).toBe(into.buffer);
    expect(Array.from(out)).toEqual([2, 1, 0, 1, 2, 5, 5, 5, 5, 5]);
    expect(into[10]).toBe(999);
    expect(squaresTable(3, 0.5)).toEqual(Float64Array.from([0, 0.25, 1, Number.POSITIVE_INFINITY]));
    const wide = resolveGrid({ shape: [MAX_COMPACT_ROW + 1, 1] }, MAX_COMPACT_ROW + 1);
    expect(() => rowOffsetsOfList(new Int32Array(0), wide)).toThrow(/rows of 65536 voxels do not fit 16-bit offsets/);
  });
});

describe("windowedSquaredDistances3d: the compact search equals the full-width one", () => {
  for (const [shape, spacing] of cases.filter(([s]) => s.length === 3)) {
    it(`${shape.join("x")}: identical values at every voxel, sparse and dense features; the same budget outcome`, () => {
      const grid = resolveGrid({ shape, spacing }, shape.reduce((a, b) => a * b, 1));
      const rnd = seededRandom(shape[1]! * 13);
      const all = Int32Array.from({ length: grid.size }, (_, i) => i);
      for (const density of [0.002, 0.03, 0.4]) {
        const list = randomList(grid.size, density, rnd);
        const sq0 = squaresTable(shape[0]!, spacing[0]!);
        const got = windowedSquaredDistances3d(rowOffsetsOfList(list, grid), sq0, grid, all, Number.POSITIVE_INFINITY)!;
        const expected = windowedSquaredDistances(rowPassOfList(list, grid), grid, all, Number.POSITIVE_INFINITY)!;
        for (let i = 0; i < grid.size; i++) expect(got[i]).toBe(expected[i]);
      }
    });
  }

  it("returns null past the budget, and refuses an axis 1 past 16-bit signed offsets", () => {
    const grid = resolveGrid({ shape: [20, 20, 20] }, 8000);
    const list = Int32Array.from([0]);
    const offsets = rowOffsetsOfList(list, grid);
    const sq0 = squaresTable(20, 1);
    const far = Int32Array.from([7999]);
    expect(windowedSquaredDistances3d(offsets, sq0, grid, far, 5)).toBeNull();
    expect(windowedSquaredDistances3d(offsets, sq0, grid, far, 1e6)![0]).toBe(3 * 19 * 19);
    const tall = resolveGrid({ shape: [1, MAX_COMPACT_AXIS1 + 1, 1] }, MAX_COMPACT_AXIS1 + 1);
    expect(() => windowedSquaredDistances3d(new Uint16Array(tall.size), sq0, tall, far, 1)).toThrow(/axis 1 of 32769 voxels/);
  });
});
