import * as tf from "@tensorflow/tfjs";
import { classesOf, diceTerm, focalTerm, oneHotTarget } from "./terms.js";
import type { SegLoss } from "./types.js";

/** MONAI `DiceFocalLoss(softmax=True, to_onehot_y=True)`: Dice + Focal (γ 2), λ 1 each. The paper's loss. */
export const diceFocalLoss = {
  id: "dice-focal",
  description: "Dice + softmax focal (gamma 2), MONAI DiceFocalLoss semantics (the paper's loss)",
  compute(logits: tf.Tensor4D, target: tf.Tensor3D): tf.Scalar {
    return tf.tidy(() => {
      const onehot = oneHotTarget(target, classesOf(logits, target, "dice-focal"));
      return tf.add(diceTerm(logits, onehot), focalTerm(logits, onehot));
    });
  },
} as const satisfies SegLoss;
