import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { registerKernelFixes } from "../backend/register-wasm-kernels.js";
import { TEST_BACKENDS, useTestBackend } from "../testing/backends.js";
import { relativeMaxError } from "@transseg/model/testing";
import { conv3d, convTransposeInPlane2x, instanceNorm3d, pointwise3d } from "./volumetric.js";

const dot = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.sum(tf.mul(a, b)).dataSync()[0]!);
/** |a − b| within 1e-4 of the larger magnitude (float32 sums of a few thousand terms). */
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-4 * Math.max(1, Math.abs(a), Math.abs(b)));

for (const backend of TEST_BACKENDS) {
  describe(`volumetric ops on ${backend}`, () => {
    beforeAll(async () => {
      await useTestBackend(backend);
      registerKernelFixes(backend); // as initBackend does: wasm's Conv2DBackpropFilter
    });

    it("conv3d (3x3x3 and 3x1x3, stride 1, zero padding) equals tf.conv3d, 1e-5", () => {
      tf.tidy(() => {
        const x = tf.randomNormal([2, 5, 4, 6, 3], 0, 1, "float32", 1) as tf.Tensor5D;
        for (const k of [[3, 3, 3], [3, 1, 3], [1, 3, 3]] as const) {
          const w = tf.randomNormal([4, 3, ...k], 0, 1, "float32", 2); // PyTorch [out, in, kd, kh, kw]
          const b = tf.randomNormal([4], 0, 1, "float32", 3);
          const ours = conv3d(x, w, b);
          const ref = tf.add(tf.conv3d(x, tf.transpose(w, [2, 3, 4, 1, 0]) as tf.Tensor5D, 1, "same"), b);
          expect(ours.shape).toEqual([2, 5, 4, 6, 4]);
          expect(relativeMaxError(ours.dataSync(), ref.dataSync()), `kernel ${k.join("x")}`).toBeLessThan(1e-5);
        }
      });
    });

    it("pointwise3d equals a 1x1x1 tf.conv3d, 1e-5", () => {
      tf.tidy(() => {
        const x = tf.randomNormal([2, 3, 4, 5, 6], 0, 1, "float32", 4) as tf.Tensor5D;
        const w = tf.randomNormal([2, 6, 1, 1, 1], 0, 1, "float32", 5);
        const ref = tf.conv3d(x, tf.transpose(w, [2, 3, 4, 1, 0]) as tf.Tensor5D, 1, "same");
        expect(relativeMaxError(pointwise3d(x, w).dataSync(), ref.dataSync())).toBeLessThan(1e-5);
      });
    });

    it("conv3d gradients are the adjoints (<y, dy> = <x, dx> = <w, dw>) and equal tf.conv3d's, 1e-5", () => {
      tf.tidy(() => {
        const x = tf.randomNormal([2, 3, 4, 5, 3], 0, 1, "float32", 6) as tf.Tensor5D;
        const dy = tf.randomNormal([2, 3, 4, 5, 4], 0, 1, "float32", 8);
        for (const k of [[3, 3, 3], [3, 1, 3]] as const) { // kh ≠ kw catches a swapped tap order
          const w = tf.randomNormal([4, 3, ...k], 0, 1, "float32", 7);
          const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv3d(a as tf.Tensor5D, b), dy)))([x, w]);
          const y = conv3d(x, w);
          close(dot(y, dy), dot(x, dx!));
          close(dot(y, dy), dot(w, dw!));
          // TensorFlow.js's own conv3d gradients (Conv3DBackprop*; on wasm the registered kernel fixes)
          const [rx, rw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv3d(a as tf.Tensor5D, tf.transpose(b, [2, 3, 4, 1, 0]) as tf.Tensor5D, 1, "same"), dy)))([x, w]);
          expect(relativeMaxError(dx!.dataSync(), rx!.dataSync()), `dx, kernel ${k.join("x")}`).toBeLessThan(1e-5);
          expect(relativeMaxError(dw!.dataSync(), rw!.dataSync()), `dw, kernel ${k.join("x")}`).toBeLessThan(1e-5);
        }
      });
    });

    it("convTransposeInPlane2x equals ConvTranspose3d [1, 2, 2] written out, and its gradient is the adjoint", () => {
      tf.tidy(() => {
        const [n, d, h, wd, c, o] = [2, 3, 2, 3, 4, 5];
        const x = tf.randomNormal([n, d, h, wd, c], 0, 1, "float32", 9) as tf.Tensor5D;
        const w = tf.randomNormal([c, o, 1, 2, 2], 0, 1, "float32", 10); // PyTorch [in, out, kd, kh, kw]
        const y = convTransposeInPlane2x(x, w);
        expect(y.shape).toEqual([n, d, 2 * h, 2 * wd, o]);
        const xv = x.dataSync();
        const wv = w.dataSync();
        const yv = y.dataSync();
        let worst = 0;
        for (let b = 0; b < n; b++)
          for (let z = 0; z < d; z++)
            for (let i = 0; i < 2 * h; i++)
              for (let j = 0; j < 2 * wd; j++)
                for (let q = 0; q < o; q++) {
                  let s = 0;
                  for (let p = 0; p < c; p++) s += xv[(((b * d + z) * h + (i >> 1)) * wd + (j >> 1)) * c + p]! * wv[((p * o + q) * 2 + (i & 1)) * 2 + (j & 1)]!;
                  worst = Math.max(worst, Math.abs(s - yv[(((b * d + z) * 2 * h + i) * 2 * wd + j) * o + q]!));
                }
        expect(worst).toBeLessThan(1e-5);
        const dy = tf.randomNormal(y.shape, 0, 1, "float32", 11);
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(convTransposeInPlane2x(a as tf.Tensor5D, b), dy)))([x, w]);
        close(dot(y, dy), dot(x, dx!));
        close(dot(y, dy), dot(w, dw!));
      });
    });

    it("instanceNorm3d: every (sample, channel) has mean 0 and biased variance v / (v + eps)", () => {
      tf.tidy(() => {
        const x = tf.add(tf.mul(tf.randomNormal([2, 3, 4, 5, 3], 0, 1, "float32", 12), 3), 7) as tf.Tensor5D;
        const { variance: v } = tf.moments(x, [1, 2, 3]);
        const { mean, variance } = tf.moments(instanceNorm3d(x), [1, 2, 3]);
        expect(Math.max(...Array.from(tf.abs(mean).dataSync()))).toBeLessThan(1e-5);
        const want = tf.div(v, tf.add(v, 1e-5));
        expect(relativeMaxError(variance.dataSync(), want.dataSync())).toBeLessThan(1e-5);
      });
    });
  });
}
