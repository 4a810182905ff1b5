import { readNifti, type LoaderCase, type TaskProfile } from "@transseg/datasets";
import { dice } from "@transseg/metrics";
import { predictVolume } from "@transseg/model";
import { tfjsRunner } from "../inference/runner.js";
import type { SegmentationModel } from "../model.js";

export interface ValidationResult {
  /** Mean over foreground classes of the per-class Dice (classes with no defined Dice skipped). */
  readonly dice: number;
  /** Per foreground class: mean over cases of the case's Dice (cases where it is undefined skipped); null = undefined everywhere. */
  readonly perClass: Record<string, number | null>;
  readonly cases: number;
}

/**
 * Dice per foreground class (`@transseg/metrics`' `dice`) of whole-volume predictions on `cases`
 * (per case, then averaged: MONAI's way). The predictions are `predictVolume`'s (the inference
 * path, on a `tfjsRunner` of the model in eval mode): every slice's window, logits resized back
 * to the native slice size, argmax.
 */
export async function validate(model: SegmentationModel, cases: readonly LoaderCase[], profile: Pick<TaskProfile, "clip">, batch: number): Promise<ValidationResult> {
  const classes = model.config.classes;
  const runner = tfjsRunner(model);
  const sums = new Array<number>(classes).fill(0);
  const counts = new Array<number>(classes).fill(0);
  for (const c of cases) {
    const [image, label] = await Promise.all([readNifti(c.image), readNifti(c.label)]);
    const [X, Y, Z] = image.shape as [number, number, number];
    if (label.data.length !== X * Y * Z) throw new Error(`${c.label}: label shape [${label.shape.join(", ")}] does not match image [${image.shape.join(", ")}]`);
    const { labels: pred } = await predictVolume(image, runner, { clip: profile.clip, batch, name: c.image });
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
