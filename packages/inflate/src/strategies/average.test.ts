import { describe, expect, it } from "vitest";
import { testInflationStrategy } from "../testing/index.js";
import { average } from "./average.js";

testInflationStrategy(average);

describe("average", () => {
  it("divides by K at every depth, exactly as float32 division", () => {
    const k = Float32Array.from([1, -3, 0.1, 7]); // [1, 1, 2, 2]
    const out = average.inflate(k, [1, 1, 2, 2], 3);
    const want = [...k].map((v) => Math.fround(v / 3));
    expect([...out]).toEqual([...want, ...want, ...want]);
  });
});
