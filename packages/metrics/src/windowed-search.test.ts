import { describe, expect, it } from "vitest";
import { rowPass } from "./distance-transform.js";
import { resolveGrid } from "./grid.js";
import { surfaceDistancesInBox } from "./surface.js";
import { bruteForceDistanceTransform, bruteForceSurfaceDistances, randomBlobs, seededRandom } from "./testing/index.js";
import { windowedSquaredDistances } from "./windowed-search.js";

describe("windowedSquaredDistances: exact squared distances at query voxels", () => {
  const cases: [number[], number[]][] = [
    [[29], [0.6]],
    [[17, 13], [0.7, 1.9]],
    [[11, 9, 8], [0.8, 1.1, 2.5]],
    [[12, 3, 9], [1, 1, 1]],
    [[5, 4, 3, 4], [1, 2, 0.5, 1.5]],
  ];
  for (const [shape, spacing] of cases) {
    it(`${shape.length}D ${shape.join("x")}: equals brute force at random queries, sparse and dense features`, () => {
      const grid = resolveGrid({ shape, spacing }, shape.reduce((a, b) => a * b, 1));
      const rnd = seededRandom(shape.length * 31);
      for (const density of [0.003, 0.05, 0.4]) {
        const f = new Uint8Array(grid.size);
        for (let i = 0; i < f.length; i++) f[i] = rnd() < density ? 1 : 0;
        f[Math.floor(rnd() * grid.size)] = 1;
        const queries = Int32Array.from({ length: 40 }, () => Math.floor(rnd() * grid.size));
        const got = windowedSquaredDistances(rowPass(f, grid), grid, queries, Number.POSITIVE_INFINITY)!;
        const expected = bruteForceDistanceTransform(f, shape, spacing);
        queries.forEach((q, i) => {
          const e = expected[q]! ** 2;
          expect(Math.abs(got[i]! - e)).toBeLessThanOrEqual(1e-12 * Math.max(1, e));
        });
      }
    });
  }

  it("returns null once the work budget is exceeded", () => {
    const grid = resolveGrid({ shape: [20, 20, 20] }, 8000);
    const f = new Uint8Array(8000);
    f[0] = 1;
    const far = Int32Array.from([7999]);
    expect(windowedSquaredDistances(rowPass(f, grid), grid, far, 5)).toBeNull();
    expect(windowedSquaredDistances(rowPass(f, grid), grid, far, 1e6)![0]).toBe(3 * 19 * 19);
  });
});

describe("surface distances: the windowed search and the full transform agree with brute force", () => {
  it("budget 0 (always the transform) and unlimited (always the search), 2D and 3D", () => {
    const cases: [number[], number[]][] = [
      [[16, 12], [0.9, 1.4]],
      [[10, 9, 8], [0.8, 1.1, 2.5]],
    ];
    for (const [k, [shape, spacing]] of cases.entries()) {
      const grid = resolveGrid({ shape, spacing }, shape.reduce((a, b) => a * b, 1));
      const pred = randomBlobs(shape, 1, 50 + k);
      const gt = randomBlobs(shape, 1, 60 + k);
      const box = { lo: shape.map(() => 0), hi: shape.map((d) => d - 1) };
      const slow = bruteForceSurfaceDistances(pred, gt, shape, spacing);
      expect(slow.predToGt.length * slow.gtToPred.length).toBeGreaterThan(0);
      for (const budget of [0, Number.POSITIVE_INFINITY]) {
        const fast = surfaceDistancesInBox(pred, gt, grid, box, undefined, budget);
        slow.predToGt.forEach((v, i) => expect(Math.abs(fast.predToGt[i]! - v)).toBeLessThanOrEqual(1e-12 * v));
        slow.gtToPred.forEach((v, i) => expect(Math.abs(fast.gtToPred[i]! - v)).toBeLessThanOrEqual(1e-12 * v));
      }
    }
  });
});
