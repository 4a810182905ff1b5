import { describe, expect, it } from "vitest";
import { cubicTaps, cubicWeights, resizeBicubic } from "./bicubic.js";
import { randomFloat32 } from "./testing/random.js";

/** 1D resize through the 2D routine: [1, n, 1] -> [1, m, 1]. */
const resize1d = (v: number[], m: number) => [...resizeBicubic(Float32Array.from(v), [1, v.length], [1, m], 1)];
const ramp = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("cubicWeights (Keys, a = -0.75)", () => {
  it("matches hand-computed values", () => {
    // near(x) = 1.25x³ - 2.25x² + 1, far(x) = -0.75x³ + 3.75x² - 6x + 3
    expect(cubicWeights(0)).toEqual([0, 1, 0, 0]);
    expect(cubicWeights(0.5)).toEqual([-0.09375, 0.59375, 0.59375, -0.09375]);
    expect(cubicWeights(0.25)).toEqual([-0.10546875, 0.87890625, 0.26171875, -0.03515625]);
    expect(cubicWeights(0.75)).toEqual([-0.03515625, 0.26171875, 0.87890625, -0.10546875]);
  });
  it("sums to one for any offset", () => {
    for (let t = 0; t < 1; t += 0.0625) expect(cubicWeights(t).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
  });
});

describe("cubicTaps: PyTorch's align_corners=False rule", () => {
  it("does not clamp the source coordinate, only the taps", () => {
    // 2 -> 4: dst 0 maps to src -0.25: floor -1, t 0.75, taps -2..1 clamped to 0,0,0,1
    const { index, weight } = cubicTaps(2, 4);
    expect([...index.subarray(0, 4)]).toEqual([0, 0, 0, 1]);
    expect([...weight.subarray(0, 4)]).toEqual(cubicWeights(0.75));
  });
});

describe("resizeBicubic", () => {
  it("up-samples [0, 1] to hand-computed values (negative overshoot at the border)", () => {
    // dst 0: src -0.25 -> 1 × w3(0.75) = -0.10546875; dst 1: src 0.25 -> w2 + w3 at t = 0.25 = 0.2265625
    expect(resize1d([0, 1], 4)).toEqual([-0.10546875, 0.2265625, 0.7734375, 1.10546875]);
  });
  it("is the identity at the same size", () => {
    const x = randomFloat32(5 * 7 * 3, 1);
    expect([...resizeBicubic(x, [5, 7], [5, 7], 3)]).toEqual([...x]);
  });
  it("keeps a constant field constant everywhere, borders included", () => {
    for (const [h, w, oh, ow] of [[14, 14, 20, 20], [14, 14, 4, 4], [3, 5, 8, 2], [27, 27, 39, 7]] as const) {
      const out = resizeBicubic(new Float32Array(h * w * 2).fill(2.5), [h, w], [oh, ow], 2);
      for (const v of out) expect(v).toBeCloseTo(2.5, 5);
    }
  });
  it("keeps a linear ramp linear in the interior when the phase is 0 or 1/2 (down-sampling by 3 and 2)", () => {
    expect(resize1d(ramp(12), 4)).toEqual([1, 4, 7, 10]); // phase 0: taps hit samples
    const half = resize1d(ramp(12), 6); // phase 1/2: symmetric weights
    expect(half.slice(1, 5)).toEqual([2.5, 4.5, 6.5, 8.5]);
    expect(half[0]).toBeCloseTo(0.40625, 6); // border: clamped taps, (0,0,1,2)·w(1/2)
  });
  it("with a = -0.75 a ramp up-sampled by 2 bends by ±3/64 between samples (a = -0.5 would stay linear)", () => {
    // phase 1/4: Σ w_j (j - 1) = 0.296875 = 1/4 + 3/64; phase 3/4: 0.703125 = 3/4 - 3/64
    const out = resize1d(ramp(12), 24);
    for (let d = 3; d < 21; d++) {
      const linear = (d + 0.5) / 2 - 0.5;
      expect(out[d]! - linear).toBeCloseTo(d % 2 === 0 ? -3 / 64 : 3 / 64, 5);
    }
  });
  it("is separable: an outer product resizes to the outer product of the 1D resizes", () => {
    const a = Array.from(randomFloat32(6, 2));
    const b = Array.from(randomFloat32(9, 3));
    const grid = new Float32Array(6 * 9);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 9; j++) grid[i * 9 + j] = a[i]! * b[j]!;
    const ra = resize1d(a, 10);
    const rb = resize1d(b, 4);
    const out = resizeBicubic(grid, [6, 9], [10, 4], 1);
    for (let i = 0; i < 10; i++) for (let j = 0; j < 4; j++) expect(out[i * 4 + j]).toBeCloseTo(ra[i]! * rb[j]!, 5);
  });
  it("treats channels independently (channels-last layout)", () => {
    const x = randomFloat32(4 * 5 * 3, 4);
    const out = resizeBicubic(x, [4, 5], [7, 3], 3);
    for (let c = 0; c < 3; c++) {
      const one = resizeBicubic(Float32Array.from({ length: 20 }, (_, i) => x[i * 3 + c]!), [4, 5], [7, 3], 1);
      one.forEach((v, i) => expect(out[i * 3 + c]).toBe(v));
    }
  });
  it("rejects inconsistent sizes", () => {
    expect(() => resizeBicubic(new Float32Array(5), [2, 2], [3, 3], 1)).toThrow(/5 values, \[2, 2, 1\] needs 4/);
    expect(() => resizeBicubic(new Float32Array(4), [2, 2], [0, 3], 1)).toThrow(/output height must be a positive integer/);
  });
});
