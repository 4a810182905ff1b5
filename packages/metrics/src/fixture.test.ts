/**
 * Parity with the reference fixture: shared/fixtures/metrics_{pred,gt}.nii.gz (classes 1..5,
 * spacing from the header) against manifest.json -> metrics_expected, to 1e-6 relative
 * (null = undefined, "inf" = infinite). The header stores the spacing as float32, the
 * reference used the nominal float64 values: the difference is ~2e-8 relative.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readNifti } from "@transseg/datasets";
import { describe, expect, it } from "vitest";
import { computeCaseMetrics } from "./case-metrics.js";
import { fromJsonValue, type JsonMetricValue } from "./json.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
// the shared folder: $TRANSSEG_SHARED, else ../shared beside the repository (as @transseg/weights/testing's sharedDir; metrics depends on no package)
const FIXTURES = path.resolve(process.env.TRANSSEG_SHARED || path.resolve(HERE, "../../..", "../shared"), "fixtures");
const present = existsSync(path.join(FIXTURES, "manifest.json"));
if (!present) console.warn(`skipping the metrics fixture test: ${FIXTURES} is absent`);

const REL = 1e-6;

describe.skipIf(!present)("metrics fixture (metrics_ref.py on metrics_{pred,gt}.nii.gz)", () => {
  it("every class and metric equals manifest.json metrics_expected", async () => {
    const manifest = JSON.parse(readFileSync(path.join(FIXTURES, "manifest.json"), "utf8")) as {
      metrics_expected: Record<string, Record<string, JsonMetricValue>>;
    };
    const pred = await readNifti(path.join(FIXTURES, "metrics_pred.nii.gz"));
    const gt = await readNifti(path.join(FIXTURES, "metrics_gt.nii.gz"));
    expect(pred.shape).toEqual(gt.shape);
    const classes = Object.keys(manifest.metrics_expected).map(Number);
    expect(classes).toEqual([1, 2, 3, 4, 5]);
    const ours = computeCaseMetrics(pred.data, gt.data, { shape: pred.shape, spacing: pred.spacing.slice(0, 3), classes });
    let checked = 0;
    for (const [cls, metrics] of Object.entries(manifest.metrics_expected)) {
      const m = ours[cls]!;
      for (const [name, value] of Object.entries(metrics)) {
        const e = fromJsonValue(value);
        const a = m[name as "dice"];
        if (Number.isFinite(e)) expect(Math.abs(a - e), `class ${cls} ${name}: ${a} vs ${e}`).toBeLessThanOrEqual(REL * Math.abs(e));
        else expect(a, `class ${cls} ${name}`).toBe(e);
        checked++;
      }
      // IoU is not in the manifest: it must follow from Dice
      if (Number.isNaN(m.dice)) expect(m.iou).toBeNaN();
      else expect(m.iou).toBeCloseTo(m.dice / (2 - m.dice), 14);
    }
    expect(checked).toBe(25);
    // the conventions the fixture exercises: one class missing from pred (inf), one absent from both (null)
    expect(ours["4"]!.hd95).toBe(Infinity);
    expect(ours["5"]!.dice).toBeNaN();
  });
});
