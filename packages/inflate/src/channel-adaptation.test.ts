import { describe, expect, it } from "vitest";
import { adaptInputChannels } from "./channel-adaptation.js";
import { patchConv2d } from "./testing/patch-conv.js";
import { randomFloat32 } from "./testing/random.js";

describe("adaptInputChannels", () => {
  it("sums over Cin and spreads evenly over C (hand-computed)", () => {
    // [1, 3, 1, 2]: channels (1, 2), (3, 4), (5, 6) -> sum (9, 12) -> /2 over 2 channels
    const r = adaptInputChannels(Float32Array.from([1, 2, 3, 4, 5, 6]), [1, 3, 1, 2], 2);
    expect(r.shape).toEqual([1, 2, 1, 2]);
    expect([...r.data]).toEqual([4.5, 6, 4.5, 6]);
    expect([...adaptInputChannels(Float32Array.from([1, 2, 3, 4, 5, 6]), [1, 3, 1, 2], 1).data]).toEqual([9, 12]);
  });
  it("leaves a kernel with the target channel count as it is", () => {
    const k = randomFloat32(2 * 3 * 4, 1);
    const r = adaptInputChannels(k, [2, 3, 2, 2], 3);
    expect(r.data).toBe(k);
    expect(r.shape).toEqual([2, 3, 2, 2]);
  });
  it("gives a replicated grey image the response the RGB kernel gives it (RGB -> 1, 2, 4)", () => {
    const shape = [4, 3, 4, 4] as const;
    const k = randomFloat32(4 * 3 * 16, 2);
    const grey = randomFloat32(8 * 8, 3);
    const rgb = new Float32Array(3 * 64);
    for (let c = 0; c < 3; c++) rgb.set(grey, c * 64);
    const want = patchConv2d(rgb, [3, 8, 8], k, shape);
    for (const channels of [1, 2, 4]) {
      const r = adaptInputChannels(k, shape, channels);
      const x = new Float32Array(channels * 64);
      for (let c = 0; c < channels; c++) x.set(grey, c * 64);
      const got = patchConv2d(x, [channels, 8, 8], r.data, r.shape);
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    }
  });
  it("leaves its input untouched and rejects bad arguments", () => {
    const k = randomFloat32(24, 4);
    const copy = k.slice();
    adaptInputChannels(k, [2, 3, 2, 2], 1);
    expect(k).toEqual(copy);
    expect(() => adaptInputChannels(k, [2, 3, 2, 2], 0)).toThrow(/positive integer, got 0/);
    expect(() => adaptInputChannels(k, [2, 2, 2, 2], 1)).toThrow(/24 values but shape \[2, 2, 2, 2\] needs 16/);
  });
});
