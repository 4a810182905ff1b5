import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { createSegmentationModel } from "../load.js";
import { useTestBackend } from "../testing/backends.js";
import { batchNormLayers, updateRunningStatistics } from "./batch-norm-stats.js";

// The PyTorch comparison of the updated running statistics is in gradients.test.ts.
describe("BatchNorm batch statistics from the model", () => {
  beforeAll(() => useTestBackend("cpu"));
  const make = () =>
    createSegmentationModel({ encoder: { kind: "beit", dim: 16, depth: 2, heads: 2, patch: 8, img: [32, 32], window: 3, in_channels: 1 }, decoder: { kind: "upernet", channels: 8, layer_idxs: [0, 1, 1, 1] }, classes: 2 });

  it("a training forward reports every layer once (full names, N·H·W, biased variance); eval reports none", () => {
    const model = make();
    const x = tf.randomUniform([2, 1, 3, 32, 32], 0, 1, "float32", 5) as tf.Tensor5D;
    const seen: { layer: string; count: number; ok: boolean }[] = [];
    tf.dispose(model.forward(x, { training: false, onBatchStatistics: (layer) => seen.push({ layer, count: 0, ok: false }) }));
    expect(seen).toEqual([]);
    tf.dispose(
      model.forward(x, {
        training: true,
        onBatchStatistics: (layer, mean, variance, count) => seen.push({ layer, count, ok: mean.shape[0] === variance.shape[0] && (variance.dataSync() as Float32Array).every((v) => v >= 0) }),
      }),
    );
    expect(seen.map((s) => s.layer).sort()).toEqual([...batchNormLayers(model).keys()].sort());
    expect(seen.find((s) => s.layer === "decoder.fpn1.1")).toEqual({ layer: "decoder.fpn1.1", count: 2 * 8 * 8, ok: true }); // grid 4 → x2
    expect(seen.find((s) => s.layer === "decoder.psp_modules.0.1.bn")?.count).toBe(2); // pool scale 1 on [2, 2, 2]
    expect(seen.every((s) => s.ok)).toBe(true);
    x.dispose();
    model.dispose();
  });

  it("updates running = 0.9·running + 0.1·batch with the unbiased variance; checks completeness and names", () => {
    const model = make();
    const layers = batchNormLayers(model);
    const u = updateRunningStatistics(layers);
    tf.tidy(() => u.onBatchStatistics("decoder.fpn1.1", tf.fill([16], 2) as tf.Tensor1D, tf.fill([16], 3) as tf.Tensor1D, 4));
    const r = layers.get("decoder.fpn1.1")!;
    expect(r.mean.dataSync()[0]).toBeCloseTo(0.2, 6); // 0.9·0 + 0.1·2
    expect(r.variance.dataSync()[0]).toBeCloseTo(0.9 + 0.1 * 3 * (4 / 3), 6);
    expect(() => u.checkComplete()).toThrow(/1 updates for \d+ BatchNorm layers \(missing: decoder\.psp_modules/);
    expect(() => tf.tidy(() => u.onBatchStatistics("decoder.nope", tf.zeros([1]) as tf.Tensor1D, tf.ones([1]) as tf.Tensor1D, 2))).toThrow(/unknown BatchNorm layer "decoder\.nope"/);
    model.dispose();
  });
});
