import * as tf from "@tensorflow/tfjs";

/** MONAI's default smoothing of Dice's numerator and denominator. */
export const DICE_SMOOTH = 1e-5;

/** One-hot float targets `[B, H, W, K]` of int32 labels `[B, H, W]`. */
export function oneHotTarget(target: tf.Tensor3D, classes: number): tf.Tensor4D {
  return tf.cast(tf.oneHot(tf.cast(target, "int32"), classes), "float32") as tf.Tensor4D;
}

/**
 * MONAI `DiceLoss(softmax=True, to_onehot_y=True, include_background=True, smooth_nr=smooth_dr=1e-5,
 * batch=False, reduction="mean")`: per sample and class over the spatial dims,
 * `1 − (2·Σpg + s) / (Σp + Σg + s)`, then the mean over samples and classes.
 */
export function diceTerm(logits: tf.Tensor4D, onehot: tf.Tensor4D, smooth = DICE_SMOOTH): tf.Scalar {
  const p = tf.softmax(logits);
  const inter = tf.sum(tf.mul(p, onehot), [1, 2]);
  const den = tf.add(tf.sum(p, [1, 2]), tf.sum(onehot, [1, 2]));
  return tf.mean(tf.sub(1, tf.div(tf.add(tf.mul(inter, 2), smooth), tf.add(den, smooth)))) as tf.Scalar;
}

/**
 * MONAI `FocalLoss(gamma, use_softmax=True, reduction="mean")` (MONAI ≥ 1.2): `−(1 − p)^γ · log p · g`
 * with `log p = log_softmax`, averaged over every element `[B, H, W, K]` (classes included).
 */
export function focalTerm(logits: tf.Tensor4D, onehot: tf.Tensor4D, gamma = 2): tf.Scalar {
  const logp = tf.logSoftmax(logits);
  const weight = tf.pow(tf.sub(1, tf.exp(logp)), gamma);
  return tf.neg(tf.mean(tf.mul(tf.mul(weight, logp), onehot))) as tf.Scalar;
}

/** PyTorch `cross_entropy` (mean over pixels) on one-hot targets. */
export function crossEntropyTerm(logits: tf.Tensor4D, onehot: tf.Tensor4D): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), onehot), 3))) as tf.Scalar;
}

/** Classes from the logits' last axis. */
export function classesOf(logits: tf.Tensor4D, target: tf.Tensor3D, id: string): number {
  const [b, h, w, k] = logits.shape;
  const [tb, th, tw] = target.shape;
  if (b !== tb || h !== th || w !== tw) throw new Error(`loss "${id}": logits [${logits.shape.join(", ")}] (NHWC) do not match target [${target.shape.join(", ")}]`);
  return k;
}
