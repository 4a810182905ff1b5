import * as tf from "@tensorflow/tfjs";
import { classesOf, crossEntropyTerm, diceTerm, oneHotTarget } from "./terms.js";
import type { SegLoss } from "./types.js";

/** MONAI `DiceCELoss(softmax=True, to_onehot_y=True)`: Dice + cross entropy, λ 1 each. */
export const diceCELoss = {
  id: "dice-ce",
  description: "Dice + cross entropy, MONAI DiceCELoss semantics",
  compute(logits: tf.Tensor4D, target: tf.Tensor3D): tf.Scalar {
    return tf.tidy(() => {
      const onehot = oneHotTarget(target, classesOf(logits, target, "dice-ce"));
      return tf.add(diceTerm(logits, onehot), crossEntropyTerm(logits, onehot));
    });
  },
} as const satisfies SegLoss;
