import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_BACKENDS, useTestBackend } from "../testing/backends.js";
import { relativeMaxError } from "@transseg/model/testing";
import { adaptivePoolMatrix, bilinearMatrix, separable } from "./separable.js";
import { adaptiveAvgPool, convTranspose2x2, resizeBilinear } from "./spatial.js";

describe("interpolation matrices (hand values)", () => {
  it("bilinear 2 -> 4 is PyTorch's align_corners=False", () => {
    // src = 0.5 i - 0.25 clamped at 0: [0, 0.25, 0.75, 1.25] -> taps (0,1) with weights below.
    expect([...bilinearMatrix(2, 4)]).toEqual([1, 0, 0.75, 0.25, 0.25, 0.75, 0, 1]);
  });
  it("adaptive pool bins overlap like PyTorch's (5 -> 3: [0,2) [1,4) [3,5))", () => {
    const m = adaptivePoolMatrix(5, 3);
    expect([...m.slice(0, 5)]).toEqual([0.5, 0.5, 0, 0, 0]);
    expect([...m.slice(5, 10)].map((v) => +v.toFixed(6))).toEqual([0, 0.333333, 0.333333, 0.333333, 0]);
    expect([...m.slice(10, 15)]).toEqual([0, 0, 0, 0.5, 0.5]);
  });
});

for (const backend of TEST_BACKENDS) {
  describe(`spatial ops on ${backend}`, () => {
    beforeAll(() => useTestBackend(backend));

    it("resizeBilinear equals the interpolation matrices, non-square, up and down (1e-6)", () => {
      const x = tf.randomNormal([2, 5, 7, 3], 0, 1, "float32", 1) as tf.Tensor4D;
      for (const [oh, ow] of [[20, 14], [3, 2], [5, 28]] as const) {
        const y = resizeBilinear(x, [oh, ow]);
        const ref = separable(x, tf.tensor2d(bilinearMatrix(5, oh), [oh, 5]), tf.tensor2d(bilinearMatrix(7, ow), [ow, 7]));
        expect(relativeMaxError(y.dataSync(), ref.dataSync())).toBeLessThan(1e-6);
      }
    });

    it("resizeBilinear's gradient is the adjoint: <R x, g> = <x, R^T g> (non-square)", () => {
      const x = tf.randomNormal([2, 4, 6, 3], 0, 1, "float32", 2) as tf.Tensor4D;
      const g = tf.randomNormal([2, 16, 24, 3], 0, 1, "float32", 3);
      const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(resizeBilinear(v as tf.Tensor4D, [16, 24]), g)))(x);
      expect(dx.shape).toEqual(x.shape);
      const lhs = tf.sum(tf.mul(resizeBilinear(x, [16, 24]), g)).dataSync()[0]!;
      const rhs = tf.sum(tf.mul(x, dx)).dataSync()[0]!;
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * Math.abs(lhs) + 1e-4);
    });

    it("adaptiveAvgPool matches explicit bin means", () => {
      const x = tf.randomNormal([1, 5, 7, 2], 0, 1, "float32", 4) as tf.Tensor4D;
      const y = adaptiveAvgPool(x, 3).arraySync()[0]!;
      const v = x.arraySync()[0]!;
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          const [h0, h1, w0, w1] = [Math.floor((i * 5) / 3), Math.ceil(((i + 1) * 5) / 3), Math.floor((j * 7) / 3), Math.ceil(((j + 1) * 7) / 3)];
          let s = 0;
          for (let a = h0; a < h1; a++) for (let b = w0; b < w1; b++) s += v[a]![b]![1]!;
          expect(y[i]![j]![1]!).toBeCloseTo(s / ((h1 - h0) * (w1 - w0)), 5);
        }
      }
    });

    it("convTranspose2x2 equals tf.conv2dTranspose (stride 2, kernel 2)", () => {
      const x = tf.randomNormal([2, 3, 4, 5], 0, 1, "float32", 5) as tf.Tensor4D;
      const torchW = tf.randomNormal([5, 6, 2, 2], 0, 1, "float32", 6); // [in, out, kh, kw]
      const ours = convTranspose2x2(x, tf.transpose(torchW, [0, 2, 3, 1]).reshape([5, 24]));
      const ref = tf.conv2dTranspose(x, tf.transpose(torchW, [2, 3, 1, 0]) as tf.Tensor4D, [2, 6, 8, 6], 2, "valid");
      expect(relativeMaxError(ours.dataSync(), ref.dataSync())).toBeLessThan(1e-6);
    });
  });
}
