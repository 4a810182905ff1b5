import * as tf from "@tensorflow/tfjs";
import { classesOf, crossEntropyTerm, oneHotTarget } from "./terms.js";
import type { SegLoss } from "./types.js";

/** Cross entropy over softmax, mean over pixels (PyTorch `F.cross_entropy`). */
export const crossEntropyLoss = {
  id: "ce",
  description: "cross entropy (softmax), mean over pixels",
  compute(logits: tf.Tensor4D, target: tf.Tensor3D): tf.Scalar {
    return tf.tidy(() => crossEntropyTerm(logits, oneHotTarget(target, classesOf(logits, target, "ce"))));
  },
} as const satisfies SegLoss;
