import { describe, expect, it } from "vitest";
import { aggregate, btcvMean, classMean, metricByClass } from "./aggregate.js";
import { MetricsAccumulator } from "./accumulator.js";
import { computeCaseMetrics } from "./case-metrics.js";
import type { CaseMetrics, ClassMetrics, MetricName } from "./types.js";

function cls(dice: number, surface: number, counts: [number, number, number]): ClassMetrics {
  return {
    dice, iou: dice / (2 - dice), hd: surface, hd95: surface, hd95_pooled: surface, assd: surface,
    pred_voxels: counts[0], gt_voxels: counts[1], overlap_voxels: counts[2],
  };
}

describe("aggregate", () => {
  const cases: CaseMetrics[] = [
    { "1": cls(0.5, 2, [10, 10, 5]), "2": cls(0, Infinity, [0, 4, 0]) },
    { "1": cls(1, 0, [30, 30, 30]), "2": cls(NaN, NaN, [0, 0, 0]) },
    { "1": cls(0.8, 4, [5, 5, 4]), "2": cls(0.5, 3, [2, 2, 1]) },
  ];

  it("means skip undefined and infinite values; n and n_inf count them per metric", () => {
    const a = aggregate(cases);
    expect(a.cases).toBe(3);
    expect(a.mean["1"]!.dice).toBeCloseTo(2.3 / 3, 15);
    expect(a.mean["1"]!.hd95).toBe(2);
    expect(a.mean["1"]!.n.hd95).toBe(3);
    // class 2: dice over the two defined cases (0 and 0.5); hd95 over the one finite case
    expect(a.mean["2"]!.dice).toBe(0.25);
    expect(a.mean["2"]!.n.dice).toBe(2);
    expect(a.mean["2"]!.n_inf.dice).toBe(0);
    expect(a.mean["2"]!.hd95).toBe(3);
    expect(a.mean["2"]!.n.hd95).toBe(1);
    expect(a.mean["2"]!.n_inf.hd95).toBe(1);
  });

  it("pooled Dice sums voxel counts over cases (differs from the mean)", () => {
    const a = aggregate(cases);
    expect(a.pooled_dice["1"]).toBe((2 * (5 + 30 + 4)) / (45 + 45));
    expect(a.pooled_dice["2"]).toBe((2 * 1) / (2 + 6));
    expect(aggregate([{ "3": cls(NaN, NaN, [0, 0, 0]) }]).pooled_dice["3"]).toBeNaN();
  });

  it("explicit classes; classes nowhere give NaN with n = 0", () => {
    const a = aggregate(cases, { classes: [2, 9] });
    expect(Object.keys(a.mean)).toEqual(["2", "9"]);
    expect(a.mean["9"]!.dice).toBeNaN();
    expect(a.mean["9"]!.n.dice).toBe(0);
  });

  it("btcvMean averages labels 1,2,3,4,6,7,8,11 only, skipping undefined ones", () => {
    const v: Record<string, number> = { "1": 0.9, "2": 0.8, "3": 0.7, "4": 0.6, "5": 0, "6": 0.5, "7": 0.4, "8": 0.3, "9": 0, "11": 0.2, "13": 0 };
    expect(btcvMean(v)).toBeCloseTo(4.4 / 8, 15);
    expect(btcvMean({ ...v, "4": NaN })).toBeCloseTo(3.8 / 7, 15);
    expect(classMean({}, [1])).toBeNaN();
  });

  it("metricByClass picks one metric; an unknown name suggests the nearest", () => {
    expect(metricByClass(aggregate(cases).mean, "hd95")).toEqual({ "1": 2, "2": 3 });
    expect(() => metricByClass({}, "hd59" as MetricName)).toThrow(
      'unknown metric "hd59": did you mean "hd95"? valid: dice, iou, hd, hd95, hd95_pooled, assd',
    );
  });
});

describe("MetricsAccumulator", () => {
  it("adds cases and aggregates like aggregate() over computeCaseMetrics", () => {
    const acc = new MetricsAccumulator({ classes: [1, 2] });
    const grid = { shape: [4], spacing: [1.5] };
    const a = [new Uint8Array([1, 1, 0, 2]), new Uint8Array([1, 0, 0, 2])];
    const b = [new Uint8Array([1, 0, 0, 0]), new Uint8Array([1, 1, 0, 0])];
    acc.add(a[0]!, a[1]!, grid);
    acc.add(b[0]!, b[1]!, grid);
    expect(acc.size).toBe(2);
    const expected = [computeCaseMetrics(a[0]!, a[1]!, { ...grid, classes: [1, 2] }), computeCaseMetrics(b[0]!, b[1]!, { ...grid, classes: [1, 2] })];
    expect(acc.cases()).toEqual(expected);
    expect(acc.aggregate()).toEqual(aggregate(expected));
    // class 2: dice 1 then undefined (absent from both in case b)
    expect(acc.aggregate().mean["2"]!.n.dice).toBe(1);
    acc.reset();
    expect(acc.size).toBe(0);
  });
});
