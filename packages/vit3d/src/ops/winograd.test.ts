import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/init-backend.js";
import { TEST_BACKENDS, useTestBackend } from "../testing/backends.js";
import { relativeMaxError } from "@transseg/model/testing";
import { conv2d, useWinograd } from "./spatial.js";
import { winogradConv3x3, winogradFilterGrad3x3 } from "./winograd.js";

/** `[n, h, w, in, out]`: even, odd, 1-pixel, wider and non-square maps. */
const SHAPES = [
  [1, 4, 4, 2, 3],
  [2, 5, 7, 3, 4],
  [1, 1, 1, 2, 2],
  [2, 16, 12, 32, 16],
  [1, 9, 2, 5, 1],
] as const;

for (const backend of TEST_BACKENDS) {
  describe(`winogradConv3x3 on ${backend}`, () => {
    beforeAll(() => useTestBackend(backend));

    it("equals tf.conv2d(x, w, 1, 'same'): even, odd and 1-pixel maps, batch 2, non-square (2e-6 of the max)", () => {
      for (const [i, [n, h, w, ci, co]] of SHAPES.entries()) {
        tf.tidy(() => {
          const x = tf.randomNormal([n, h, w, ci], 0, 1, "float32", 10 + i) as tf.Tensor4D;
          const f = tf.randomNormal([3, 3, ci, co], 0, 1, "float32", 20 + i) as tf.Tensor4D;
          const got = winogradConv3x3(x, f);
          expect(got.shape).toEqual([n, h, w, co]);
          expect(relativeMaxError(got.dataSync(), tf.conv2d(x, f, 1, "same").dataSync())).toBeLessThan(2e-6);
        });
      }
    });

    it("bands of tile rows (bounded memory) give the same result as one band", () => {
      tf.tidy(() => {
        const x = tf.randomNormal([2, 11, 6, 4], 0, 1, "float32", 3) as tf.Tensor4D;
        const f = tf.randomNormal([3, 3, 4, 5], 0, 1, "float32", 4) as tf.Tensor4D;
        const whole = winogradConv3x3(x, f).dataSync();
        for (const bandFloats of [1, 200, 500]) expect(relativeMaxError(winogradConv3x3(x, f, { bandFloats }).dataSync(), whole)).toBeLessThan(1e-6);
      });
    });

    it("winogradFilterGrad3x3 equals the filter gradient of tf.conv2d(x, w, 1, 'same'): even, odd, 1-pixel and 1-row maps (1e-5 of the max)", () => {
      for (const [i, [n, h, w, ci, co]] of [...SHAPES, [2, 1, 6, 4, 3] as const].entries()) {
        tf.tidy(() => {
          const x = tf.randomNormal([n, h, w, ci], 0, 1, "float32", 30 + i) as tf.Tensor4D;
          const dy = tf.randomNormal([n, h, w, co], 0, 1, "float32", 50 + i) as tf.Tensor4D;
          // dW[i, j] = Σ_{b, p, q} xpad[b, p + i, q + j]ᵀ dy[b, p, q]: the definition, tap by tap
          const xp = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
          const taps = [0, 1, 2].flatMap((ti) => [0, 1, 2].map((tj) => tf.matMul(tf.slice(xp, [0, ti, tj, 0], [n, h, w, ci]).reshape([-1, ci]), dy.reshape([-1, co]), true, false)));
          const want = tf.stack(taps).reshape([3, 3, ci, co]);
          if (backend === "cpu") {
            // … which is tf.conv2d's own filter gradient on cpu
            const f = tf.randomNormal([3, 3, ci, co], 0, 1, "float32", 40 + i) as tf.Tensor4D;
            expect(relativeMaxError(want.dataSync(), tf.grad((fw: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, fw as tf.Tensor4D, 1, "same"), dy)))(f).dataSync())).toBeLessThan(1e-5);
          }
          const got = winogradFilterGrad3x3(x, dy);
          expect(got.shape).toEqual([3, 3, ci, co]);
          expect(relativeMaxError(got.dataSync(), want.dataSync())).toBeLessThan(1e-5);
        });
      }
    });

    it("winogradFilterGrad3x3 in bands of tile rows equals one band; a dy of another size is refused", () => {
      tf.tidy(() => {
        const x = tf.randomNormal([2, 11, 6, 4], 0, 1, "float32", 5) as tf.Tensor4D;
        const dy = tf.randomNormal([2, 11, 6, 3], 0, 1, "float32", 6) as tf.Tensor4D;
        const whole = winogradFilterGrad3x3(x, dy).dataSync();
        for (const bandFloats of [1, 300, 900]) expect(relativeMaxError(winogradFilterGrad3x3(x, dy, { bandFloats }).dataSync(), whole)).toBeLessThan(1e-6);
        expect(() => winogradFilterGrad3x3(x, tf.zeros([2, 10, 6, 3]) as tf.Tensor4D)).toThrow(/dy is 2x10x6x3, expected 2x11x6x\(out\)/);
      });
    });

    it("rejects a filter that is not 3x3 or a channel mismatch, naming both sizes", () => {
      tf.tidy(() => {
        const x = tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
        expect(() => winogradConv3x3(x, tf.zeros([5, 5, 2, 2]) as tf.Tensor4D)).toThrow(/3x3, got 5x5/);
        expect(() => winogradConv3x3(x, tf.zeros([3, 3, 3, 2]) as tf.Tensor4D)).toThrow(/2 channels, filter expects 3/);
      });
    });
  });
}

describe("useWinograd (which 3x3 convs take the Winograd path)", () => {
  // initBackend registers the wasm kernel fixes (Conv2DBackpropFilter: the direct conv's filter gradient, the reference here).
  beforeAll(() => initBackend("wasm", { threads: 1, log: () => undefined }));
  const big = (): [tf.Tensor4D, tf.Tensor4D] => [tf.zeros([1, 32, 32, 256]) as tf.Tensor4D, tf.zeros([3, 3, 256, 256]) as tf.Tensor4D];

  it("inference on wasm with >= 256 tiles and >= 256x256 channel pairs: yes", () => {
    tf.tidy(() => {
      expect(useWinograd(...big())).toBe(true);
    });
  });

  it("small maps, narrow channels or 1x1 filters: no", () => {
    tf.tidy(() => {
      const [x, w] = big();
      expect(useWinograd(tf.zeros([1, 16, 16, 256]) as tf.Tensor4D, w)).toBe(false);
      expect(useWinograd(tf.zeros([1, 32, 32, 64]) as tf.Tensor4D, tf.zeros([3, 3, 64, 64]))).toBe(false);
      expect(useWinograd(x, tf.zeros([1, 1, 256, 256]))).toBe(false);
    });
  });

  it("under a gradient tape: Winograd forward, input gradient and filter gradient, equal to the direct conv's gradients (1e-5)", async () => {
    const x = tf.randomNormal([2, 16, 32, 256], 0, 1, "float32", 8) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 256, 320], 0, 0.05, "float32", 9) as tf.Tensor4D;
    const dy = tf.randomNormal([2, 16, 32, 320], 0, 1, "float32", 10);
    const loss = (conv: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), dy));
    let got: tf.Tensor[] = [];
    const profile = await tf.profile(() => {
      got = tf.grads(loss((a, b) => conv2d(a, b)))([x, w]);
    });
    expect(profile.kernelNames).not.toContain("Conv2D");
    expect(profile.kernelNames).not.toContain("Conv2DBackpropInput");
    expect(profile.kernelNames).not.toContain("Conv2DBackpropFilter");
    const want = tf.grads(loss((a, b) => tf.conv2d(a, b, 1, "same")))([x, w]);
    for (const [i, g] of got.entries()) expect(relativeMaxError(g.dataSync(), want[i]!.dataSync())).toBeLessThan(1e-5);
    tf.dispose([x, w, dy, ...got, ...want]);
  });

  it("conv2d takes the path (no Conv2D kernel runs) and still equals the direct convolution with bias (1e-5)", async () => {
    const x = tf.randomNormal([1, 32, 32, 256], 0, 1, "float32", 5) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 256, 256], 0, 0.05, "float32", 6) as tf.Tensor4D;
    const b = tf.randomNormal([256], 0, 1, "float32", 7);
    let got: Float32Array | undefined;
    const profile = await tf.profile(() => {
      got = tf.tidy(() => conv2d(x, w, b).dataSync() as Float32Array);
    });
    expect(profile.kernelNames).not.toContain("Conv2D");
    const want = tf.tidy(() => tf.add(tf.conv2d(x, w, 1, "same"), b).dataSync());
    expect(relativeMaxError(got!, want)).toBeLessThan(1e-5);
    tf.dispose([x, w, b]);
  });
});
