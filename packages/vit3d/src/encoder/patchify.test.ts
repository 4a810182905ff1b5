import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/init-backend.js";
import { TEST_BACKENDS } from "../testing/backends.js";
import { patchify } from "./patchify.js";

/** The former formulation: one rank-8 transpose. */
function patchifyRank8(x: tf.Tensor5D, kd: number, p: number): tf.Tensor {
  const [b, c, d, h, w] = x.shape;
  return tf.transpose(x.reshape([b, c, d / kd, kd, h / p, p, w / p, p]), [0, 2, 4, 6, 1, 3, 5, 7]).reshape([(b * d * h * w) / (kd * p * p), c * kd * p * p]);
}

for (const backend of TEST_BACKENDS) {
  describe(`patchify on ${backend}`, () => {
    beforeAll(() => initBackend(backend, { threads: 1 }));

    it("equals the rank-8 transpose exactly (batch, channels, depth groups, non-square grids)", () => {
      const shapes: [number, number, number, number, number, number, number][] = [
        // b, c, d, h, w, kd, p
        [2, 1, 5, 64, 64, 5, 16],
        [1, 3, 6, 8, 12, 2, 4],
        [3, 2, 4, 6, 4, 1, 2],
        [2, 1, 1, 4, 8, 1, 4],
        [1, 2, 3, 2, 2, 3, 1],
      ];
      for (const [b, c, d, h, w, kd, p] of shapes) {
        tf.tidy(() => {
          const x = tf.randomNormal([b, c, d, h, w], 0, 1, "float32", b + c + d + h + w) as tf.Tensor5D;
          const got = patchify(x, kd, p);
          expect(got.shape).toEqual([(b * d * h * w) / (kd * p * p), c * kd * p * p]);
          expect(Array.from(got.dataSync())).toEqual(Array.from(patchifyRank8(x, kd, p).dataSync()));
        });
      }
    });

    it("names the shapes when the window is not a multiple of the patch", () => {
      tf.tidy(() => {
        expect(() => patchify(tf.zeros([1, 1, 5, 32, 30]) as tf.Tensor5D, 5, 16)).toThrow("patchify: window [5, 32, 30] is not a multiple of the patch [5, 16, 16]");
      });
    });
  });
}
