import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initBackend } from "../../backend/init-backend.js";
import { TEST_BACKENDS } from "../../testing/backends.js";
import { trainRefs } from "../testing-refs.js";
import { builtinLosses } from "./registry.js";
import { resolveLoss } from "./resolve-loss.js";

// Expected values: __fixtures__/train_refs.json, computed by __fixtures__/gen_train_refs.py with
// PyTorch 1.13 from MONAI's definitions (softmax, one-hot, Dice per sample and class over H, W with
// smooth 1e-5 in numerator and denominator, include_background, mean; focal γ 2 with softmax,
// mean over B·K·H·W; DiceFocal = Dice + Focal; DiceCE = Dice + CE). Logits [2, 3, 2, 3] =
// 2·sin(1.7 i + 0.3); sample 1 has no pixel of class 2. Tolerance: 2e-6 relative (float32).
const refs = trainRefs().losses;
const [B, K, H, W] = refs.shape_nchw;
const ids = { "dice-focal": "diceFocal", "dice-ce": "diceCE", ce: "crossEntropy" } as const;

function nhwc(values: number[]): tf.Tensor4D {
  return tf.transpose(tf.tensor4d(values, [B, K, H, W]), [0, 2, 3, 1]) as tf.Tensor4D;
}

describe("losses against PyTorch/MONAI-semantics reference values", () => {
  for (const backend of TEST_BACKENDS) {
    for (const [id, key] of Object.entries(ids)) {
      it(`${id} value and gradient on ${backend}`, async () => {
        await initBackend(backend, { threads: 1 });
        const loss = builtinLosses[id as keyof typeof builtinLosses];
        const target = tf.tensor3d(refs.target, [B, H, W], "int32");
        const logits = nhwc(refs.logits_nchw);
        const value = loss.compute(logits, target);
        const grad = tf.grad((x: tf.Tensor) => loss.compute(x as tf.Tensor4D, target))(logits);
        const gradNchw = tf.transpose(grad, [0, 3, 1, 2]);
        const v = value.dataSync()[0]!;
        const g = Array.from(gradNchw.dataSync());
        tf.dispose([target, logits, value, grad, gradNchw]);
        expect(Math.abs(v - refs.values[key]!) / refs.values[key]!).toBeLessThan(2e-6);
        const expected = refs.grads_nchw[key]!;
        const scale = Math.max(...expected.map(Math.abs));
        g.forEach((x, i) => expect(Math.abs(x - expected[i]!) / scale).toBeLessThan(2e-6));
      });
    }
  }

  it("Dice's smoothing: a perfect prediction of a class absent from the target scores ~0 loss for it", () => {
    // With the class absent and predicted absent, (0 + 1e-5) / (≈0 + 1e-5) ≈ 1: Dice loss ≈ 0.
    const target = tf.zeros([1, 2, 2], "int32") as tf.Tensor3D;
    const logits = tf.tensor4d([30, -30, 30, -30, 30, -30, 30, -30], [1, 2, 2, 2]);
    const v = builtinLosses["dice-ce"].compute(logits, target);
    expect(v.dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([target, logits, v]);
  });

  it("mismatched logits and target fail with a clear error", () => {
    const target = tf.zeros([1, 3, 2], "int32") as tf.Tensor3D;
    const logits = tf.zeros([1, 2, 2, 2]) as tf.Tensor4D;
    expect(() => builtinLosses.ce.compute(logits, target)).toThrow(/logits \[1, 2, 2, 2\] \(NHWC\) do not match target \[1, 3, 2\]/);
    tf.dispose([target, logits]);
  });

  it("unknown ids name the nearest one and list all", () => {
    expect(() => resolveLoss("dice-focl")).toThrow(/unknown loss "dice-focl".*did you mean "dice-focal"\?.*known: (?=.*\bce\b)(?=.*dice-ce)(?=.*dice-focal)/);
    expect(resolveLoss("ce")).toBe(builtinLosses.ce);
  });
});
