import { join } from "node:path";
import { readNifti, writeNifti, type DatasetCase, type TaskProfile } from "@transseg/datasets";
import { computeCaseMetrics, type CaseMetrics } from "@transseg/metrics";
import { loadSegmentationModel, predictVolume, tfjsRunner } from "@transseg/vit3d";
import { busiestSlice, overlaySlice, type OverlaySlice } from "./overlay.js";

export interface EvaluateCasesOptions {
  /** A `transseg-seg/1` checkpoint. */
  readonly model: string;
  readonly cases: readonly DatasetCase[];
  readonly profile: TaskProfile;
  /** Windows per forward call (default 8). */
  readonly batch?: number;
  /** Write each prediction as `<predDir>/<case id>.nii.gz` (with the image's affine). */
  readonly predDir?: string;
  /** Render an overlay of the first case's busiest slice. */
  readonly overlay?: boolean;
  readonly onCase?: (id: string, metrics: CaseMetrics) => void;
}

export interface EvaluatedCases {
  readonly cases: readonly { readonly id: string; readonly metrics: CaseMetrics }[];
  readonly overlay: OverlaySlice | null;
}

/** Predicts whole volumes with a checkpoint and computes every foreground class's metrics per case (SPEC §5). */
export async function evaluateCases(o: EvaluateCasesOptions): Promise<EvaluatedCases> {
  const model = await loadSegmentationModel(o.model);
  const classes = Array.from({ length: o.profile.classes - 1 }, (_, i) => i + 1);
  const out: { id: string; metrics: CaseMetrics }[] = [];
  let overlay: OverlaySlice | null = null;
  try {
    for (const c of o.cases) {
      const [image, label] = await Promise.all([readNifti(c.image), readNifti(c.label)]);
      const pred = await predictVolume(image, tfjsRunner(model), { clip: o.profile.clip, batch: o.batch ?? 8, name: c.image });
      if (o.predDir) await writeNifti(join(o.predDir, `${c.id}.nii.gz`), { data: pred.labels, shape: pred.shape, affine: image.affine });
      const metrics = computeCaseMetrics(pred.labels, label.data, { shape: pred.shape, spacing: image.spacing, classes });
      if (o.overlay && overlay === null) overlay = overlaySlice(c.id, image, label.data, pred.labels, busiestSlice(label), o.profile.clip);
      out.push({ id: c.id, metrics });
      o.onCase?.(c.id, metrics);
    }
  } finally {
    model.dispose();
  }
  return { cases: out, overlay };
}
