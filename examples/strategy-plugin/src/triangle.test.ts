import { testInflationStrategy } from "@transseg/inflate/testing";
import { describe, expect, it } from "vitest";
import { triangle, triangleWeights } from "./triangle.js";

testInflationStrategy(triangle); // shape law (K = 1, 2, 3, 5, 7), input untouched, determinism, declared identity

describe("triangle weights", () => {
  it("peak at K//2, fall off linearly, sum to 1", () => {
    expect(triangleWeights(1)).toEqual([1]);
    expect(triangleWeights(5).map((w) => w * 19)).toEqual([3, 4, 5, 4, 3].map((v) => expect.closeTo(v, 12)));
    for (const K of [2, 3, 4, 7]) expect(triangleWeights(K).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
