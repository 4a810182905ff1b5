import * as tf from "@tensorflow/tfjs";
import { argmaxClasses, placeSlice, readNifti, resizeLogits, volumeWindows, type LoaderCase, type TaskProfile } from "@transseg/datasets";
import { dice } from "@transseg/metrics";
import type { SegmentationModel } from "../model.js";

export interface ValidationResult {
  /** Mean over foreground classes of the per-class Dice (classes with no defined Dice skipped). */
  readonly dice: number;
  /** Per foreground class: mean over cases of the case's Dice (cases where it is undefined skipped); null = undefined everywhere. */
  readonly perClass: Record<string, number | null>;
  readonly cases: number;
}

/**
 * Whole-volume prediction of one image: every slice's window (edge slices repeated), logits
 * resized back to the native slice size, argmax. Returns the label volume `[X, Y, Z]`.
 */
export async function predictLabelVolume(model: SegmentationModel, image: { data: ArrayLike<number>; shape: readonly number[] }, profile: Pick<TaskProfile, "clip">, batch: number): Promise<Uint8Array> {
  const e = model.config.encoder;
  const classes = model.config.classes;
  const [X, Y, Z] = image.shape as [number, number, number];
  const out = new Uint8Array(X * Y * Z);
  for (const b of volumeWindows(image, { clip: profile.clip, window: e.window, img: e.img, batch })) {
    const logits = tf.tidy(() => model.forward(tf.tensor5d(b.image, [...b.shape])));
    const data = (await logits.data()) as Float32Array;
    logits.dispose();
    const per = classes * e.img[0] * e.img[1];
    b.slices.forEach((z, i) => {
      const native = resizeLogits(data.subarray(i * per, (i + 1) * per), classes, e.img, b.native);
      placeSlice(out, [X, Y, Z], z, argmaxClasses(native, classes));
    });
  }
  return out;
}

/** Dice per foreground class of whole-volume predictions on `cases` (per case, then averaged: MONAI's way). */
export async function validate(model: SegmentationModel, cases: readonly LoaderCase[], profile: TaskProfile, batch: number): Promise<ValidationResult> {
  const classes = model.config.classes;
  const sums = new Array<number>(classes).fill(0);
  const counts = new Array<number>(classes).fill(0);
  for (const c of cases) {
    const [image, label] = await Promise.all([readNifti(c.image), readNifti(c.label)]);
    const [X, Y, Z] = image.shape as [number, number, number];
    if (label.data.length !== X * Y * Z) throw new Error(`${c.label}: label shape [${label.shape.join(", ")}] does not match image [${image.shape.join(", ")}]`);
    const pred = await predictLabelVolume(model, image, profile, batch);
    for (let k = 1; k < classes; k++) {
      const d = dice(pred, label.data, k);
      if (Number.isFinite(d)) {
        sums[k]! += d;
        counts[k]!++;
      }
    }
  }
  const perClass: Record<string, number | null> = {};
  const defined: number[] = [];
  for (let k = 1; k < classes; k++) {
    const v = counts[k]! > 0 ? sums[k]! / counts[k]! : null;
    perClass[String(k)] = v;
    if (v !== null) defined.push(v);
  }
  const mean = defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : Number.NaN;
  return { dice: mean, perClass, cases: cases.length };
}
