import { describe, expect, it } from "vitest";
import { modelWindow } from "../window/model-window.js";
import { scaleIntensities } from "../window/scale.js";
import { volumeWindows } from "./volume-windows.js";

describe("volumeWindows", () => {
  it("yields every slice's window in order, batched, last batch short", () => {
    const X = 6, Y = 4, Z = 7;
    const data = Float32Array.from({ length: X * Y * Z * 2 }, (_, i) => (i * 37) % 101);
    const vol = { data, shape: [X, Y, Z, 2] };
    const batches = [...volumeWindows(vol, { clip: null, window: 3, img: [3, 8], batch: 3 })];
    expect(batches.map((b) => b.slices)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(batches.map((b) => b.shape)).toEqual([[3, 2, 3, 3, 8], [3, 2, 3, 3, 8], [1, 2, 3, 3, 8]]);
    expect(batches[0]!.native).toEqual([6, 4]);
    const scaled = scaleIntensities(vol, null);
    const per = 2 * 3 * 3 * 8;
    for (const b of batches) {
      b.slices.forEach((z, i) => expect(b.image.subarray(i * per, (i + 1) * per)).toEqual(modelWindow(scaled, z, { window: 3, img: [3, 8] })));
    }
  });
  it("rejects a bad batch size", () => {
    expect(() => [...volumeWindows({ data: new Float32Array(8), shape: [2, 2, 2] }, { clip: null, img: [2, 2], batch: 0 })]).toThrow("batch must be");
  });
});
