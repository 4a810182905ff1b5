import { describe, expect, it } from "vitest";
import { surfaceDistances, surfaceMetrics } from "./surface.js";
import { bruteForceSurfaceDistances, randomBlobs } from "./testing/index.js";

const sorted = (a: ArrayLike<number>) => Array.from(a).sort((x, y) => x - y);

describe("surface distances and metrics (hand-computed)", () => {
  it("1D: MONAI hd95 vs pooled hd95 vs ASSD, with interpolated percentiles", () => {
    // pred = [0..9] ∪ [15..19] -> edges 0, 9, 15, 19; gt = [0..4] -> edges 0, 4
    const pred = new Uint8Array(20);
    const gt = new Uint8Array(20);
    for (let i = 0; i < 20; i++) {
      pred[i] = i <= 9 || i >= 15 ? 1 : 0;
      gt[i] = i <= 4 ? 1 : 0;
    }
    const d = surfaceDistances(pred, gt, { shape: [20], spacing: [0.5] });
    expect(Array.from(d.predToGt)).toEqual([0, 2.5, 5.5, 7.5]);
    expect(Array.from(d.gtToPred)).toEqual([0, 2]);
    const m = surfaceMetrics(d);
    expect(m.hd).toBe(7.5);
    // p95([0, 2.5, 5.5, 7.5]): index 2.85 -> 7.5 - 2 * 0.15 = 7.2; p95([0, 2]) = 1.9
    expect(m.hd95).toBeCloseTo(7.2, 14);
    // pooled [0, 0, 2, 2.5, 5.5, 7.5]: index 4.75 -> 7.5 - 2 * 0.25 = 7
    expect(m.hd95_pooled).toBeCloseTo(7, 14);
    // all six distances pooled: 17.5 / 6 (medpy's mean of directed means would be (15.5/4 + 1) / 2)
    expect(m.assd).toBeCloseTo(17.5 / 6, 14);
  });

  it("distances go to the other mask's surface, not its interior", () => {
    // gt: a 7x7 block at [1..7]^2 of a 9x9 image; pred: the single centre voxel (4, 4)
    const gt = new Uint8Array(81);
    const pred = new Uint8Array(81);
    for (let y = 1; y <= 7; y++) for (let x = 1; x <= 7; x++) gt[x + 9 * y] = 1;
    pred[4 + 9 * 4] = 1;
    const d = surfaceDistances(pred, gt, { shape: [9, 9] });
    expect(Array.from(d.predToGt)).toEqual([3]); // 0 if it went to the mask
    expect(d.gtToPred.length).toBe(24);
    expect(Math.max(...d.gtToPred)).toBeCloseTo(3 * Math.SQRT2, 14);
  });

  it("border voxels are surface voxels: a mask filling the array", () => {
    // pred: the whole 3x3x3 array (26 surface voxels thanks to the border rule); gt: its centre
    const pred = new Uint8Array(27).fill(1);
    const gt = new Uint8Array(27);
    gt[13] = 1;
    const d = surfaceDistances(pred, gt, { shape: [3, 3, 3] });
    expect(sorted(d.predToGt)).toEqual([...new Array(6).fill(1), ...new Array(12).fill(Math.SQRT2), ...new Array(8).fill(Math.sqrt(3))]);
    expect(Array.from(d.gtToPred)).toEqual([1]);
    const m = surfaceMetrics(d);
    expect(m.hd).toBe(Math.sqrt(3));
    expect(m.hd95).toBe(Math.sqrt(3));
    expect(m.assd).toBeCloseTo((6 + 12 * Math.SQRT2 + 8 * Math.sqrt(3) + 1) / 27, 14);
  });

  it("anisotropic spacing: distances between voxel centres in mm", () => {
    const shape = [4, 4, 4];
    const pred = new Uint8Array(64);
    const gt = new Uint8Array(64);
    pred[1 + 4 * (1 + 4 * 1)] = 1;
    gt[2 + 4 * (3 + 4 * 2)] = 1;
    const d = surfaceDistances(pred, gt, { shape, spacing: [0.5, 2, 3] });
    const expected = Math.sqrt(0.5 ** 2 + 4 ** 2 + 3 ** 2);
    expect(d.predToGt[0]).toBeCloseTo(expected, 14);
    expect(d.gtToPred[0]).toBeCloseTo(expected, 14);
  });

  it("both empty -> undefined (NaN); exactly one empty -> Infinity", () => {
    const empty = new Uint8Array(8);
    const one = new Uint8Array(8);
    one[3] = 1;
    const none = surfaceMetrics(surfaceDistances(empty, empty, { shape: [2, 2, 2] }));
    expect(Object.values(none).every(Number.isNaN)).toBe(true);
    const d = surfaceDistances(one, empty, { shape: [2, 2, 2] });
    expect(Array.from(d.predToGt)).toEqual([Infinity]);
    expect(d.gtToPred.length).toBe(0);
    expect(surfaceMetrics(d)).toEqual({ hd: Infinity, hd95: Infinity, hd95_pooled: Infinity, assd: Infinity });
    expect(surfaceMetrics(surfaceDistances(empty, one, { shape: [2, 2, 2] })).hd95).toBe(Infinity);
  });

  it("symmetric metrics do not depend on the argument order", () => {
    const a = randomBlobs([12, 10, 8], 1, 5);
    const b = randomBlobs([12, 10, 8], 1, 6);
    const ab = surfaceMetrics(surfaceDistances(a, b, { shape: [12, 10, 8], spacing: [1, 0.8, 2] }));
    const ba = surfaceMetrics(surfaceDistances(b, a, { shape: [12, 10, 8], spacing: [1, 0.8, 2] }));
    expect(ba.hd).toBe(ab.hd);
    expect(ba.hd95).toBe(ab.hd95);
    expect(ba.hd95_pooled).toBe(ab.hd95_pooled);
    expect(ba.assd).toBeCloseTo(ab.assd, 13);
  });

  it("equals brute force (pairwise surface distances) on random 2D and 3D masks", () => {
    const cases: [number[], number[]][] = [
      [[15, 11], [0.7, 1.3]],
      [[9, 8, 7], [0.8, 1.1, 2.5]],
      [[6, 10, 5], [1, 1, 1]],
    ];
    for (const [k, [shape, spacing]] of cases.entries()) {
      for (const label of [1, 2]) {
        const pred = randomBlobs(shape, 2, 10 + k);
        const gt = randomBlobs(shape, 2, 20 + k);
        const fast = surfaceDistances(pred, gt, { shape, spacing, label });
        const slow = bruteForceSurfaceDistances(
          pred.map((v) => (v === label ? 1 : 0)),
          gt.map((v) => (v === label ? 1 : 0)),
          shape,
          spacing,
        );
        // same voxel order (axis 0 fastest); same terms summed in the same order
        expect(slow.predToGt.length * slow.gtToPred.length).toBeGreaterThan(0);
        expect(fast.predToGt.length).toBe(slow.predToGt.length);
        expect(fast.gtToPred.length).toBe(slow.gtToPred.length);
        slow.predToGt.forEach((v, i) => expect(Math.abs(fast.predToGt[i]! - v)).toBeLessThanOrEqual(1e-12 * v));
        slow.gtToPred.forEach((v, i) => expect(Math.abs(fast.gtToPred[i]! - v)).toBeLessThanOrEqual(1e-12 * v));
      }
    }
  });
});
