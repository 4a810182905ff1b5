import { describe, expect, it } from "vitest";
import { bootstrapMeanInterval, DEFAULT_BOOTSTRAP, mean, pairedSummary, quantile, sampleSd, verdictOf } from "./stats.js";

describe("mean and sample sd", () => {
  it("sd divides by n − 1 and is null for one value", () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    // Σ(x − 2.5)² = 5, / 3
    expect(sampleSd([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(sampleSd([0.89, 0.9, 0.91])).toBeCloseTo(0.01, 12);
    expect(sampleSd([7])).toBeNull();
    expect(sampleSd([])).toBeNull();
  });
});

describe("quantile (type 7, numpy's default)", () => {
  it("interpolates linearly between order statistics: hand-computed values", () => {
    const x = [1, 2, 3, 4];
    // h = 3p: p = 0.25 -> 1.75; p = 0.5 -> 2.5; p = 0.1 -> 1.3; p = 0.975 -> 3.925
    expect(quantile(x, 0.25)).toBeCloseTo(1.75, 12);
    expect(quantile(x, 0.5)).toBeCloseTo(2.5, 12);
    expect(quantile(x, 0.1)).toBeCloseTo(1.3, 12);
    expect(quantile(x, 0.975)).toBeCloseTo(3.925, 12);
    expect(quantile(x, 0)).toBe(1);
    expect(quantile(x, 1)).toBe(4);
    // 0..10: h = 10p, exact order statistics at multiples of 0.1; p = 0.025 -> 0.25
    const y = Array.from({ length: 11 }, (_, i) => i);
    expect(quantile(y, 0.025)).toBeCloseTo(0.25, 12);
    expect(quantile([5], 0.3)).toBe(5);
    expect(() => quantile([], 0.5)).toThrow(/no values/);
    expect(() => quantile(x, 1.5)).toThrow(/\[0, 1\]/);
  });
});

describe("bootstrap interval of the mean", () => {
  const noise = [-0.03, 0.02, -0.01, 0.04, -0.02, 0.01, -0.04, 0.03, 0, -0.005, 0.005];

  it("is reproducible for a seed, changes with the seed, and contains the mean", () => {
    const a = bootstrapMeanInterval(noise);
    expect(bootstrapMeanInterval(noise)).toEqual(a);
    expect(bootstrapMeanInterval(noise, { ...DEFAULT_BOOTSTRAP, seed: 1 })).not.toEqual(a);
    expect(a![0]).toBeLessThan(mean(noise));
    expect(a![1]).toBeGreaterThan(mean(noise));
  });

  it("is the type-7 quantiles of the resampled means: constant data give a point, one resample gives its own mean", () => {
    const flat = bootstrapMeanInterval([0.2, 0.2, 0.2])!;
    expect(flat[0]).toBeCloseTo(0.2, 12);
    expect(flat[1]).toBeCloseTo(0.2, 12);
    // two values: resampled means are 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4: the 2.5th and 97.5th percentiles are 0 and 1
    expect(bootstrapMeanInterval([0, 1])).toEqual([0, 1]);
    const one = bootstrapMeanInterval([0, 1], { seed: 5, resamples: 1, confidence: 0.95 })!;
    expect(one[0]).toBe(one[1]);
    expect([0, 0.5, 1]).toContain(one[0]);
  });

  it("is null for fewer than two values and rejects bad options", () => {
    expect(bootstrapMeanInterval([0.3])).toBeNull();
    expect(bootstrapMeanInterval([])).toBeNull();
    expect(() => bootstrapMeanInterval([1, 2], { seed: 0, resamples: 0, confidence: 0.95 })).toThrow(/resamples/);
    expect(() => bootstrapMeanInterval([1, 2], { seed: 0, resamples: 10, confidence: 1 })).toThrow(/confidence/);
  });

  it("is narrower for a lower confidence", () => {
    const wide = bootstrapMeanInterval(noise)!;
    const narrow = bootstrapMeanInterval(noise, { ...DEFAULT_BOOTSTRAP, confidence: 0.5 })!;
    expect(narrow[1] - narrow[0]).toBeLessThan(wide[1] - wide[0]);
  });
});

describe("paired summary and verdict", () => {
  it("all-positive differences hold; all-negative ones reverse; symmetric noise is inconclusive", () => {
    const pos = [0.03, 0.05, 0.02, 0.04, 0.06, 0.01, 0.03, 0.02, 0.05, 0.04, 0.03];
    expect(pairedSummary(pos)).toMatchObject({ n: 11, positive: 11, verdict: "holds" });
    expect(pairedSummary(pos.map((x) => -x))).toMatchObject({ positive: 0, verdict: "reversed" });
    const sym = [-0.03, 0.03, -0.02, 0.02, -0.01, 0.01, -0.04, 0.04, 0];
    const s = pairedSummary(sym);
    expect(s).toMatchObject({ n: 9, positive: 4, verdict: "inconclusive" });
    expect(s.interval![0]).toBeLessThan(0);
    expect(s.interval![1]).toBeGreaterThan(0);
  });

  it("the mean is the plain mean of the differences", () => {
    const d = [0.1, -0.02, 0.05, 0.07];
    expect(pairedSummary(d).mean).toBeCloseTo((0.1 - 0.02 + 0.05 + 0.07) / 4, 12);
  });

  it("fewer than two datasets: no interval, inconclusive", () => {
    expect(pairedSummary([0.5])).toEqual({ n: 1, mean: 0.5, interval: null, positive: 1, verdict: "inconclusive" });
    expect(pairedSummary([])).toEqual({ n: 0, mean: null, interval: null, positive: 0, verdict: "inconclusive" });
  });

  it("verdictOf reads the interval's bounds", () => {
    expect(verdictOf([0.001, 0.2])).toBe("holds");
    expect(verdictOf([-0.2, -0.001])).toBe("reversed");
    expect(verdictOf([0, 0.2])).toBe("inconclusive");
    expect(verdictOf([-0.1, 0.1])).toBe("inconclusive");
    expect(verdictOf(null)).toBe("inconclusive");
  });
});
