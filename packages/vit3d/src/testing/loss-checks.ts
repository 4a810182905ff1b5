import * as tf from "@tensorflow/tfjs";
import type { SegLoss } from "../train/losses/types.js";

/**
 * Conformance checks for a loss plugin (framework-agnostic: each throws an Error naming the
 * defect). A loss's test calls `checkLoss` on each backend it supports; the CLI's `--plugin`
 * runs it on the loss it loads.
 */

/** Logits `[2, 4, 5, 3]` (NHWC) and int32 labels `[2, 4, 5]` of 3 classes, fixed values. */
function sample(): { logits: tf.Tensor4D; target: tf.Tensor3D } {
  const n = 2 * 4 * 5;
  const logits = tf.tensor4d(Float32Array.from({ length: n * 3 }, (_, i) => 2 * Math.sin(1.7 * i + 0.3)), [2, 4, 5, 3]);
  const target = tf.tensor3d(Int32Array.from({ length: n }, (_, i) => (i * 7) % 3), [2, 4, 5], "int32");
  return { logits, target };
}

/** Confident logits (±8) that predict `labels` exactly, or the next class everywhere. */
function confident(target: tf.Tensor3D, shift: number): tf.Tensor4D {
  return tf.tidy(() => tf.mul(tf.sub(tf.cast(tf.oneHot(tf.mod(tf.add(target, tf.scalar(shift, "int32")), tf.scalar(3, "int32")) as tf.Tensor3D, 3), "float32"), 0.5), 16) as tf.Tensor4D);
}

export function checkLossDeclaration(loss: SegLoss): void {
  if (typeof loss !== "object" || loss === null) throw new Error(`a loss is an object, got ${loss === null ? "null" : typeof loss}`);
  if (typeof loss.id !== "string" || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(loss.id)) throw new Error(`loss id "${String(loss.id)}" must be lower-case kebab-case`);
  if (typeof loss.description !== "string" || !loss.description.trim()) throw new Error(`loss "${loss.id}" needs a description`);
  if (typeof loss.compute !== "function") throw new Error(`loss "${loss.id}" has no compute function`);
}

/** One value: a finite scalar, the same on a second call, and no tensor left behind inside a tidy. */
export function checkLossValue(loss: SegLoss): void {
  const { logits, target } = sample();
  try {
    const before = tf.memory().numTensors;
    const [a, b] = [0, 1].map(() =>
      tf.tidy(() => {
        const v = loss.compute(logits, target);
        if (!(v instanceof tf.Tensor) || v.rank !== 0) throw new Error(`loss "${loss.id}" must return a scalar tensor, got ${v instanceof tf.Tensor ? `shape [${v.shape.join(", ")}]` : typeof v}`);
        return v.dataSync()[0]!;
      }),
    );
    if (tf.memory().numTensors !== before) throw new Error(`loss "${loss.id}" leaves ${tf.memory().numTensors - before} tensor(s) behind outside tf.tidy (create tensors only inside compute)`);
    if (!Number.isFinite(a)) throw new Error(`loss "${loss.id}" is not finite (${a}) on ordinary logits`);
    if (!Object.is(a, b)) throw new Error(`loss "${loss.id}" differs between two calls on the same input (${a} vs ${b})`);
  } finally {
    tf.dispose([logits, target]);
  }
}

/** Differentiable in the logits: a finite gradient that is not zero everywhere. */
export function checkLossGradient(loss: SegLoss): void {
  const { logits, target } = sample();
  try {
    let g: number[];
    try {
      g = tf.tidy(() => Array.from(tf.grad((x: tf.Tensor) => loss.compute(x as tf.Tensor4D, target))(logits).dataSync()));
    } catch (e) {
      throw new Error(`loss "${loss.id}" is not differentiable in the logits: ${String((e as Error)?.message ?? e).split("\n")[0]}`);
    }
    if (!g.every(Number.isFinite)) throw new Error(`loss "${loss.id}": the gradient with respect to the logits is not finite`);
    if (g.every((v) => v === 0)) throw new Error(`loss "${loss.id}": the gradient with respect to the logits is zero everywhere (not differentiable, e.g. through an argmax)`);
  } finally {
    tf.dispose([logits, target]);
  }
}

/** A confident correct prediction scores lower than a confident wrong one. */
export function checkLossOrder(loss: SegLoss): void {
  const { logits, target } = sample();
  try {
    const [right, wrong] = [0, 1].map((shift) => tf.tidy(() => loss.compute(confident(target, shift), target).dataSync()[0]!));
    if (!(right! < wrong!)) throw new Error(`loss "${loss.id}": a correct prediction scores ${right}, not lower than a wrong one (${wrong})`);
  } finally {
    tf.dispose([logits, target]);
  }
}

/** All checks, in order. */
export function checkLoss(loss: SegLoss): void {
  checkLossDeclaration(loss);
  checkLossValue(loss);
  checkLossGradient(loss);
  checkLossOrder(loss);
}
