import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_BACKENDS, useTestBackend } from "../testing/backends.js";
import { relativeMaxError } from "@transseg/model/testing";
import { batchNorm, type BatchNormParams } from "./norm.js";

/** Stated tolerance: max |ours − reference| ≤ 1e-5 · max |reference| (outputs and every gradient). */
const TOLERANCE = 1e-5;

function params(c: number, seed: number): BatchNormParams {
  return {
    weight: tf.randomNormal([c], 1, 0.5, "float32", seed),
    bias: tf.randomNormal([c], 0, 0.5, "float32", seed + 1),
    runningMean: tf.randomNormal([c], 0, 1, "float32", seed + 2),
    runningVar: tf.randomUniform([c], 0.5, 2, "float32", seed + 3),
  };
}

/** Training-mode BatchNorm as TensorFlow.js differentiates it (moments, then tf.batchNorm): the reference. */
function reference(x: tf.Tensor4D, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.batchNorm(x, mean as tf.Tensor1D, variance as tf.Tensor1D, bias as tf.Tensor1D, weight as tf.Tensor1D, 1e-5);
}

/** Output and gradients (x, weight, bias) of `f` for a seeded output gradient. */
function valueAndGrads(f: (x: tf.Tensor4D, w: tf.Tensor, b: tf.Tensor) => tf.Tensor4D, x: tf.Tensor4D, p: BatchNormParams, seed: number): Float32Array[] {
  return tf.tidy(() => {
    const dy = tf.randomNormal(x.shape, 0, 1, "float32", seed);
    const { value, grads } = tf.valueAndGrads((a: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => f(a as tf.Tensor4D, w, b) as tf.Tensor)([x, p.weight, p.bias], dy);
    return [value, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

for (const backend of TEST_BACKENDS) {
  describe(`batchNorm on ${backend}`, () => {
    beforeAll(() => useTestBackend(backend));

    // UPerNet sizes in miniature, incl. batch 1.
    for (const shape of [[2, 5, 7, 6], [1, 3, 4, 5], [2, 8, 8, 40]] as const) {
      it(`training: output and the gradients of x, weight and bias equal TensorFlow.js's own (moments + batchNorm), [${shape.join(", ")}]`, () => {
        const x = tf.add(tf.mul(tf.randomNormal([...shape], 0, 1, "float32", 3), 2), 0.5) as tf.Tensor4D;
        const p = params(shape[3], 10);
        const got = valueAndGrads((a, w, b) => batchNorm(a, { ...p, weight: w, bias: b }, true), x, p, 7);
        const want = valueAndGrads(reference, x, p, 7);
        got.forEach((g, i) => expect(relativeMaxError(g, want[i]!), ["y", "dx", "dweight", "dbias"][i]).toBeLessThanOrEqual(TOLERANCE));
        tf.dispose([x, ...Object.values(p)]);
      });
    }

    // PSP scale 1 pools to 1×1: 2 values per channel, where dx = w·r·(1 − x̂²)·(dy₁ − dy₂)/2 is a cancellation
    // down to eps/(σ² + eps); both float32 results are rounding noise there, so compare with float64 at the scale w·r·|dy|.
    it("training, 2 values per channel ([2, 1, 1, 4]): gradients equal the float64 closed form to 1e-5 of w·r·max|dy|", () => {
      const x = tf.randomNormal([2, 1, 1, 4], 0.5, 2, "float32", 3) as tf.Tensor4D;
      const p = params(4, 10);
      const [, dx, dw, db] = valueAndGrads((a, w, b) => batchNorm(a, { ...p, weight: w, bias: b }, true), x, p, 7);
      const dy = tf.tidy(() => tf.randomNormal(x.shape, 0, 1, "float32", 7).dataSync());
      const [xs, ws] = [x.dataSync(), p.weight.dataSync()];
      for (let c = 0; c < 4; c++) {
        const [x0, x1, dy0, dy1, w] = [xs[c]!, xs[4 + c]!, dy[c]!, dy[4 + c]!, ws[c]!];
        const mean = (x0 + x1) / 2;
        const r = 1 / Math.sqrt(((x0 - mean) ** 2 + (x1 - mean) ** 2) / 2 + 1e-5);
        const [h0, h1] = [(x0 - mean) * r, (x1 - mean) * r];
        const scale = Math.abs(w * r) * Math.max(Math.abs(dy0), Math.abs(dy1));
        const [sdy, sdyh] = [dy0 + dy1, dy0 * h0 + dy1 * h1];
        expect(Math.abs(db![c]! - sdy)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(sdy)));
        expect(Math.abs(dw![c]! - sdyh)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(sdyh)));
        expect(Math.abs(dx![c]! - w * r * (dy0 - sdy / 2 - (h0 * sdyh) / 2))).toBeLessThanOrEqual(1e-5 * scale);
        expect(Math.abs(dx![4 + c]! - w * r * (dy1 - sdy / 2 - (h1 * sdyh) / 2))).toBeLessThanOrEqual(1e-5 * scale);
      }
      tf.dispose([x, ...Object.values(p)]);
    });

    it("training reports the batch mean and biased variance (as tf.moments) with the count N·H·W, once", () => {
      tf.tidy(() => {
        const x = tf.randomNormal([2, 3, 5, 4], 1, 2, "float32", 21) as tf.Tensor4D;
        const { mean, variance } = tf.moments(x, [0, 1, 2]);
        const seen: Array<{ mean: number[]; variance: number[]; count: number }> = [];
        batchNorm(x, params(4, 30), true, (m, v, count) => seen.push({ mean: Array.from(m.dataSync()), variance: Array.from(v.dataSync()), count }));
        expect(seen).toHaveLength(1);
        expect(seen[0]!.count).toBe(30);
        expect(seen[0]!.mean).toEqual(Array.from(mean.dataSync()));
        expect(seen[0]!.variance).toEqual(Array.from(variance.dataSync()));
      });
    });

    it("training: the backward pass runs no Tile kernel and leaves no tensors behind", async () => {
      const x = tf.randomNormal([2, 4, 4, 8], 0, 1, "float32", 41) as tf.Tensor4D;
      const p = params(8, 50);
      const before = tf.memory().numTensors;
      const profile = await tf.profile(() => tf.grads((a: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(batchNorm(a as tf.Tensor4D, { ...p, weight: w }, true))))([x, p.weight]));
      expect(tf.memory().numTensors).toBe(before + 2); // the two gradients
      expect(profile.kernelNames).toContain("Sum");
      expect(profile.kernelNames).not.toContain("Tile");
      tf.dispose(profile.result as tf.Tensor[]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, ...Object.values(p)]);
    });

    it("inference uses the running statistics", () => {
      tf.tidy(() => {
        const x = tf.randomNormal([2, 3, 4, 5], 0, 1, "float32", 61) as tf.Tensor4D;
        const p = params(5, 70);
        const seen: number[] = [];
        const y = batchNorm(x, p, false, (_m, _v, count) => seen.push(count));
        const want = tf.div(tf.sub(x, p.runningMean), tf.sqrt(tf.add(p.runningVar, 1e-5))).mul(p.weight).add(p.bias);
        expect(relativeMaxError(y.dataSync(), want.dataSync())).toBeLessThanOrEqual(TOLERANCE);
        expect(seen).toEqual([]);
      });
    });
  });
}
