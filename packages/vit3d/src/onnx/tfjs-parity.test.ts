import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { createSegmentationModel } from "../load.js";
import { relativeMaxError, useTestBackend } from "../testing/index.js";
import { exportOnnx } from "./export.js";
import { createOnnxSession } from "./session.js";

/** The exported graph equals the TensorFlow.js model for configurations the PyTorch fixtures do not cover. */
describe("exportOnnx agrees with the TensorFlow.js model", () => {
  for (const patch of [8, 16]) {
    it(`beit + upernet, patch ${patch}, non-square: logits within 1e-4`, async () => {
      await useTestBackend("cpu");
      const model = createSegmentationModel(
        { encoder: { kind: "beit", dim: 32, depth: 2, heads: 2, patch, window: 3, in_channels: 1, img: [32, patch * 4] }, decoder: { kind: "upernet", channels: 16, layer_idxs: [0, 0, 1, 1] }, classes: 3 },
        { seed: 5 },
      );
      const session = await createOnnxSession(exportOnnx(model.toTensorMap(), { config: model.config }));
      try {
        const shape = [2, 1, 3, 32, patch * 4] as const;
        const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37));
        const expected = tf.tidy(() => model.forward(tf.tensor5d(x, [...shape])).dataSync() as Float32Array);
        const { logits, shape: outShape } = await session.run(x, shape);
        expect(outShape).toEqual([2, 3, 32, patch * 4]);
        expect(relativeMaxError(logits, expected)).toBeLessThan(1e-4);
      } finally {
        await session.release();
        model.dispose();
      }
    });
  }
});
