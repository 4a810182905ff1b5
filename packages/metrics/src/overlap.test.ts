import { describe, expect, it } from "vitest";
import { dice, diceFromCounts, iou, iouFromCounts, overlapOf } from "./overlap.js";

describe("dice / iou", () => {
  // pred: 1 1 1 0 0 ; gt: 0 1 1 1 1 -> |P| = 3, |G| = 4, |P∩G| = 2
  const pred = new Uint8Array([1, 1, 1, 0, 0]);
  const gt = new Uint8Array([0, 1, 1, 1, 1]);

  it("hand-computed binary masks", () => {
    expect(overlapOf(pred, gt)).toEqual({ pred: 3, gt: 4, overlap: 2 });
    expect(dice(pred, gt)).toBe(4 / 7);
    expect(iou(pred, gt)).toBe(2 / 5);
  });

  it("one label of a label volume, any numeric array type", () => {
    const p = new Float32Array([2, 2, 1, 0, 2]);
    const g = new Int16Array([2, 1, 1, 2, 0]);
    expect(dice(p, g, 2)).toBe((2 * 1) / (3 + 2)); // P = {0, 1, 4}, G = {0, 3}
    expect(dice(p, g, 1)).toBe((2 * 1) / (1 + 2));
    expect(iou(p, g, 1)).toBe(1 / 2);
    expect(dice([0, 3, 3], [3, 3, 0], 3)).toBe(0.5);
  });

  it("both empty is undefined (NaN); one empty is 0", () => {
    expect(dice(new Uint8Array(4), new Uint8Array(4))).toBeNaN();
    expect(iou(new Uint8Array(4), new Uint8Array(4))).toBeNaN();
    expect(dice(new Uint8Array([0, 1]), new Uint8Array(2))).toBe(0);
    expect(iou(new Uint8Array(2), new Uint8Array([0, 1]))).toBe(0);
  });

  it("counts form: dice = 2 iou / (1 + iou)", () => {
    for (const [o, p, g] of [[3, 5, 7], [0, 1, 0], [10, 10, 10]] as const) {
      const d = diceFromCounts(o, p, g);
      const j = iouFromCounts(o, p, g);
      expect(d).toBeCloseTo((2 * j) / (1 + j), 14);
    }
    expect(diceFromCounts(0, 0, 0)).toBeNaN();
  });

  it("rejects volumes of different sizes", () => {
    expect(() => dice(new Uint8Array(3), new Uint8Array(4))).toThrow(/pred has 3 voxels but gt has 4/);
  });
});
