import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { createOnnxSession, exportOnnx } from "@transseg/onnx";
import { createSegmentationModel, type SegConfigInput } from "@transseg/vit3d";
import { relativeMaxError, useTestBackend } from "@transseg/vit3d/testing";

/** The exported graph equals the TensorFlow.js model (logits within 1e-4), for every decoder. */
const enc = { dim: 32, depth: 2, heads: 2, window: 3, in_channels: 1 };
const cases: [string, SegConfigInput][] = [
  ...[8, 16].map((patch): [string, SegConfigInput] => [
    `beit + upernet, patch ${patch}, non-square`,
    { encoder: { ...enc, kind: "beit", patch, img: [32, patch * 4] }, decoder: { kind: "upernet", channels: 16, layer_idxs: [0, 0, 1, 1] }, classes: 3 },
  ]),
  ["vit + upernet, odd grid 3x5", { encoder: { ...enc, kind: "vit", patch: 16, img: [48, 80] }, decoder: { kind: "upernet", channels: 16, layer_idxs: [0, 1, 0, 1] }, classes: 3 }],
  ["beit + setr-pup, grid 3x5, patch 16", { encoder: { ...enc, kind: "beit", patch: 16, img: [48, 80] }, decoder: { kind: "setr-pup" }, classes: 3 }],
  ["vit + setr-pup, patch 8", { encoder: { ...enc, kind: "vit", patch: 8, img: [24, 40] }, decoder: { kind: "setr-pup" }, classes: 3 }],
  ["beit + convtrans, grid 2x3, patch 16", { encoder: { ...enc, kind: "beit", patch: 16, img: [32, 48] }, decoder: { kind: "convtrans" }, classes: 3 }],
  ["vit + convtrans, patch 8 (x16 resized to img)", { encoder: { ...enc, kind: "vit", patch: 8, img: [24, 40] }, decoder: { kind: "convtrans" }, classes: 3 }],
  ["beit + unetr, window 3, patch depth 1 (Gd 3), patch 8", { encoder: { ...enc, kind: "beit", patch: 8, img: [24, 40], patch_depth: 1 }, decoder: { kind: "unetr", feature_size: 4 }, classes: 3 }],
  ["vit + unetr, window 9, patch depth 3 (Gd 3), patch 16", { encoder: { ...enc, kind: "vit", patch: 16, img: [32, 48], window: 9, patch_depth: 3 }, decoder: { kind: "unetr", feature_size: 4 }, classes: 3 }],
];

describe("exportOnnx agrees with the TensorFlow.js model", () => {
  for (const [name, config] of cases) {
    it(`${name}: logits within 1e-4`, async () => {
      await useTestBackend("cpu");
      const model = createSegmentationModel(config, { seed: 5 });
      const session = await createOnnxSession(exportOnnx(model.toTensorMap(), { config: model.config }), { threads: 1 });
      try {
        const e = model.config.encoder;
        const shape = [2, 1, e.window, e.img[0], e.img[1]] as const;
        const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37));
        const expected = tf.tidy(() => model.forward(tf.tensor5d(x, [...shape])).dataSync() as Float32Array);
        const { logits, shape: outShape } = await session.run(x, shape);
        expect(outShape).toEqual([2, 3, e.img[0], e.img[1]]);
        expect(relativeMaxError(logits, expected)).toBeLessThan(1e-4);
      } finally {
        await session.release();
        model.dispose();
      }
    });
  }
});
