import { describe, expect, it } from "vitest";
import { computeCaseMetrics } from "./case-metrics.js";
import { dice, iou } from "./overlap.js";
import { surfaceDistances, surfaceMetrics } from "./surface.js";
import { randomBlobs } from "./testing/index.js";

describe("computeCaseMetrics", () => {
  it("hand-computed two-class 1D case, classes default to labels present except 0", () => {
    //        0  1  2  3  4  5  6  7
    const p = [0, 1, 1, 1, 0, 2, 2, 0];
    const g = [0, 0, 1, 1, 1, 0, 3, 3];
    const r = computeCaseMetrics(new Uint8Array(p), new Int32Array(g), { shape: [8], spacing: [2] });
    expect(Object.keys(r)).toEqual(["1", "2", "3"]);
    // class 1: P = {1,2,3}, G = {2,3,4}: dice 4/6, iou 2/4; edges P {1,3}, G {2,4}: all distances 1 voxel = 2 mm
    expect(r["1"]).toEqual({ dice: 4 / 6, iou: 0.5, hd: 2, hd95: 2, hd95_pooled: 2, assd: 2, pred_voxels: 3, gt_voxels: 3, overlap_voxels: 2 });
    // class 2 only in pred, class 3 only in gt: dice 0, surface metrics infinite
    expect(r["2"]!.dice).toBe(0);
    expect(r["2"]!.hd95).toBe(Infinity);
    expect(r["3"]!.assd).toBe(Infinity);
  });

  it("explicit classes: a class absent from both volumes is undefined (NaN)", () => {
    const r = computeCaseMetrics(new Uint8Array([1, 0]), new Uint8Array([1, 0]), { shape: [2], classes: [1, 5] });
    expect(r["1"]!.dice).toBe(1);
    expect(r["1"]!.hd).toBe(0);
    expect(r["5"]).toEqual({
      dice: NaN, iou: NaN, hd: NaN, hd95: NaN, hd95_pooled: NaN, assd: NaN, pred_voxels: 0, gt_voxels: 0, overlap_voxels: 0,
    });
  });

  it("equals the per-mask functions on every class of random label volumes (any array type)", () => {
    const shape = [14, 12, 9];
    const spacing = [0.9, 0.7, 2.2];
    const pred = randomBlobs(shape, 4, 31);
    const gt = randomBlobs(shape, 4, 32);
    const r = computeCaseMetrics(Float32Array.from(pred), Int16Array.from(gt), { shape, spacing });
    expect(Object.keys(r)).toEqual(["1", "2", "3", "4"]);
    for (const c of [1, 2, 3, 4]) {
      const ref = surfaceMetrics(surfaceDistances(pred, gt, { shape, spacing, label: c }));
      const m = r[String(c)]!;
      expect(m.dice).toBe(dice(pred, gt, c));
      expect(m.iou).toBe(iou(pred, gt, c));
      expect(m.hd).toBe(ref.hd);
      expect(m.hd95).toBe(ref.hd95);
      expect(m.hd95_pooled).toBe(ref.hd95_pooled);
      expect(m.assd).toBe(ref.assd);
      expect(Number.isFinite(m.hd95)).toBe(true);
    }
  });

  it("background 0 is evaluated when asked for explicitly", () => {
    const shape = [6, 5, 4];
    const pred = randomBlobs(shape, 2, 71);
    const gt = randomBlobs(shape, 2, 72);
    const r = computeCaseMetrics(pred, gt, { shape, classes: [0, 1] });
    expect(r["0"]!.dice).toBe(dice(pred, gt, 0));
    expect(r["0"]!.hd95).toBe(surfaceMetrics(surfaceDistances(pred, gt, { shape, label: 0 })).hd95);
    expect(r["1"]!.dice).toBe(dice(pred, gt, 1));
    expect(r["0"]!.pred_voxels).toBe(pred.filter((v) => v === 0).length);
  });

  it("labels need not start at 0 or be non-negative", () => {
    const r = computeCaseMetrics(new Int16Array([-3, 7, 7]), new Int16Array([-3, -3, 7]), { shape: [3], classes: [-3, 7] });
    expect(r["-3"]!.dice).toBe(2 / 3);
    expect(r["7"]!.dice).toBe(2 / 3);
  });

  it("bad input: clear errors", () => {
    expect(() => computeCaseMetrics(new Uint8Array(4), new Uint8Array(3), { shape: [4] })).toThrow("gt: has 3 voxels but shape [4] needs 4");
    expect(() => computeCaseMetrics(new Float32Array([0.5]), new Uint8Array(1), { shape: [1] })).toThrow(/pred: voxel 0 holds 0.5/);
    expect(() => computeCaseMetrics(new Uint8Array(1), new Uint8Array(1), { shape: [1], classes: [1.5] })).toThrow(/classes: 1.5/);
  });
});
