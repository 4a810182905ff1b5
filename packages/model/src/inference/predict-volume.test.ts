import type { Volume } from "@transseg/datasets";
import { describe, expect, it } from "vitest";
import type { WindowRunner } from "../window-runner.js";
import { predictVolume } from "./predict-volume.js";

const [X, Y, Z] = [6, 5, 4];
/** Intensities 3..197 that never scale to exactly 0.5 under clip [0, 100] (no argmax ties). */
const value = (x: number, y: number, z: number) => 3 + ((x * 37 + y * 23 + z * 41) % 195) + (((x * 37 + y * 23 + z * 41) % 195) === 47 ? 1 : 0);
const volume: Volume = {
  data: Int16Array.from({ length: X * Y * Z }, (_, i) => value(i % X, Math.floor(i / X) % Y, Math.floor(i / (X * Y)))),
  shape: [X, Y, Z],
  spacing: [1, 1, 1],
  affine: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
  datatype: "int16",
};
const scaled = (x: number, y: number, z: number) => Math.min(Math.max(value(x, y, z), 0), 100) / 100;

/**
 * An engine that needs no engine: class 1's logit is `slice d of the window − 0.5`, class 0's is 0,
 * at the volume's own in-plane size (so no resize changes a value).
 */
function thresholdRunner(d: number): WindowRunner & { calls: number } {
  const runner = {
    inChannels: 1,
    window: 3,
    img: [X, Y] as const,
    classes: 2,
    engine: "threshold",
    calls: 0,
    async run(windows: Float32Array, shape: readonly [number, number, number, number, number]) {
      runner.calls++;
      const [b, c, D, H, W] = shape;
      expect([c, D, H, W]).toEqual([1, 3, X, Y]);
      const out = new Float32Array(b * 2 * H * W);
      for (let i = 0; i < b; i++) for (let p = 0; p < H * W; p++) out[(i * 2 + 1) * H * W + p] = windows[(i * D + d) * H * W + p]! - 0.5;
      return out;
    },
  };
  return runner;
}

describe("predictVolume with a WindowRunner of its own (no TensorFlow.js, no ONNX Runtime)", () => {
  it("labels = the runner's decision on the window's centre slice, clipped and scaled; probabilities are its softmax", async () => {
    const runner = thresholdRunner(1);
    const pred = await predictVolume(volume, runner, { clip: [0, 100], batch: 3, probabilities: true });
    expect(pred.shape).toEqual([X, Y, Z]);
    expect(runner.calls).toBe(2); // 4 slices in batches of 3
    let ones = 0;
    for (let z = 0; z < Z; z++) {
      for (let y = 0; y < Y; y++) {
        for (let x = 0; x < X; x++) {
          const i = x + X * (y + Y * z);
          const s = scaled(x, y, z);
          expect(pred.labels[i], `voxel ${x},${y},${z}`).toBe(s > 0.5 ? 1 : 0);
          ones += pred.labels[i]!;
          const p1 = 1 / (1 + Math.exp(-(s - 0.5)));
          expect(pred.probabilities![(1 * Z + z) * X * Y + x + X * y]).toBeCloseTo(p1, 6);
          expect(pred.probabilities![(0 * Z + z) * X * Y + x + X * y]).toBeCloseTo(1 - p1, 6);
        }
      }
    }
    expect(ones).toBeGreaterThan(0);
    expect(ones).toBeLessThan(X * Y * Z);
  });

  it("windows are edge-clamped: slice 0 of the window is slice max(z − 1, 0)", async () => {
    const pred = await predictVolume(volume, thresholdRunner(0), { clip: [0, 100] });
    for (let z = 0; z < Z; z++) {
      for (let y = 0; y < Y; y++) for (let x = 0; x < X; x++) expect(pred.labels[x + X * (y + Y * z)]).toBe(scaled(x, y, Math.max(z - 1, 0)) > 0.5 ? 1 : 0);
    }
  });

  it("refuses a volume whose channels do not match the runner, naming it", async () => {
    await expect(predictVolume({ ...volume, shape: [X, Y, 2, 2] }, thresholdRunner(1), { clip: [0, 100], name: "case.nii.gz" })).rejects.toThrow(/^case\.nii\.gz: the model takes 1 channel\(s\) but the volume has 2/);
  });
});
