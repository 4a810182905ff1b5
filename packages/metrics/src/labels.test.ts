import { describe, expect, it } from "vitest";
import { resolveGrid } from "./grid.js";
import { labelRange, labelsPresent, labelTable, overlapCounts } from "./labels.js";

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

  it("labelTable: counts and bounding boxes per label (3D, axis 0 fastest)", () => {
    const grid = resolveGrid({ shape: [4, 3, 2] }, 24);
    const v = new Uint8Array(24);
    const at = (x: number, y: number, z: number) => x + 4 * (y + 3 * z);
    v[at(1, 0, 0)] = 2;
    v[at(2, 0, 0)] = 2;
    v[at(3, 2, 1)] = 2;
    v[at(0, 1, 1)] = 1;
    const t = labelTable(v, grid, 0, 3);
    expect(Array.from(t.count)).toEqual([20, 1, 3]);
    expect(Array.from(t.lo.subarray(6, 9))).toEqual([1, 0, 0]);
    expect(Array.from(t.hi.subarray(6, 9))).toEqual([3, 2, 1]);
    expect(Array.from(t.lo.subarray(3, 6))).toEqual([0, 1, 1]);
    expect(Array.from(t.hi.subarray(3, 6))).toEqual([0, 1, 1]);
    const g = new Uint8Array(24);
    g[at(1, 0, 0)] = 2;
    expect(Array.from(overlapCounts(v, g, 0, 3))).toEqual([20, 0, 1]);
  });

  it("grid validation names the input and the problem", () => {
    expect(() => resolveGrid({ shape: [2, 2] }, 5, "pred")).toThrow("pred: has 5 voxels but shape [2, 2] needs 4");
    expect(() => resolveGrid({ shape: [2, 2], spacing: [1] }, 4, "gt")).toThrow(/gt: spacing \[1\] has 1 values/);
    expect(() => resolveGrid({ shape: [2, 2], spacing: [1, 0] }, 4)).toThrow(/finite positive/);
    expect(() => resolveGrid({ shape: [2.5] }, 2)).toThrow(/not a positive integer/);
  });
});
