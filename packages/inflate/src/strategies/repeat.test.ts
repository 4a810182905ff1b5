import { describe, expect, it } from "vitest";
import { testInflationStrategy } from "../testing/index.js";
import { repeat } from "./repeat.js";

testInflationStrategy(repeat);

describe("repeat", () => {
  it("copies the kernel to every depth unscaled", () => {
    const k = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]); // [1, 2, 2, 2]
    const out = repeat.inflate(k, [1, 2, 2, 2], 2);
    expect([...out]).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 5, 6, 7, 8]);
  });
});
