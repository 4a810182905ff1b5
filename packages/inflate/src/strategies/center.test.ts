import { describe, expect, it } from "vitest";
import { testInflationStrategy } from "../testing/index.js";
import { center } from "./center.js";

testInflationStrategy(center);

describe("center", () => {
  it("puts the kernel at K//2 and zeros elsewhere", () => {
    const k = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]); // [2, 1, 2, 2]
    const out = center.inflate(k, [2, 1, 2, 2], 4);
    // K = 4: centre index 2
    expect([...out]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 6, 7, 8, 0, 0, 0, 0]);
  });
  it("rejects a kernel that does not match its shape", () => {
    expect(() => center.inflate(new Float32Array(7), [2, 1, 2, 2], 3)).toThrow(/7 values but shape \[2, 1, 2, 2\] needs 8/);
    expect(() => center.inflate(new Float32Array(8), [2, 1, 2, 2], 0)).toThrow(/depth must be a positive integer/);
  });
});
