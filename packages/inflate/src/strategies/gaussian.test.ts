// A contributed strategy is proven through the public surface only: the package's exports and its kit.
import { resolveStrategy } from "@transseg/inflate";
import { testInflationStrategy } from "@transseg/inflate/testing";
import { describe, expect, it } from "vitest";
import { gaussian, gaussianWeights } from "./gaussian.js";

testInflationStrategy(gaussian);
testInflationStrategy(gaussian, { strategyOptions: { sigma: 0.7 } });

describe("gaussian", () => {
  it("uses sigma = K/4 by default and normalised weights peaking at K//2", () => {
    expect(gaussian.resolveOptions(undefined, 5)).toEqual({ sigma: 1.25 });
    const w = gaussianWeights(5, 1.25);
    const raw = [-2, -1, 0, 1, 2].map((d) => Math.exp(-(d * d) / (2 * 1.25 * 1.25)));
    const sum = raw.reduce((a, b) => a + b, 0);
    w.forEach((v, k) => expect(v).toBeCloseTo(raw[k]! / sum, 15));
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    expect(gaussianWeights(1, 0.25)).toEqual([1]);
  });
  it("tends to center for small sigma", () => {
    const w = gaussianWeights(5, 0.05);
    expect(w[2]).toBeCloseTo(1, 12);
  });
  it("rejects bad and unknown options", () => {
    expect(() => gaussian.resolveOptions({ sigma: 0 }, 5)).toThrow(/sigma must be a positive finite number, got 0/);
    expect(() => gaussian.resolveOptions({ sigma: "1" }, 5)).toThrow(/sigma must be a positive finite number, got "1"/);
    expect(() => gaussian.resolveOptions({ sgima: 1 }, 5)).toThrow(/unknown option "sgima" \(known: sigma\)/);
  });
  it("is marked beyond the paper and registered under its id", () => {
    expect(gaussian.beyondPaper).toBe(true);
    expect(gaussian.description).toMatch(/^beyond the paper/);
    expect(resolveStrategy("gaussian")).toBe(gaussian);
  });
});
