/**
 * Cross-check against the scipy reference (shared/ref/metrics_ref.py) on random label volumes:
 * 2D and 3D, anisotropic, blobs touching the border, stray voxels, absent classes.
 * Skips with a message when python3 with numpy + scipy or the reference is not available.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { computeCaseMetrics } from "./case-metrics.js";
import { fromJsonValue, type JsonMetricValue } from "./json.js";
import { randomBlobs } from "./testing/index.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
// the shared folder: $TRANSSEG_SHARED, else ../shared beside the repository (as @transseg/weights/testing's sharedDir)
const REF = path.resolve(process.env.TRANSSEG_SHARED || path.resolve(HERE, "../../..", "../shared"), "ref/metrics_ref.py");
const DRIVER = path.resolve(HERE, "../scripts/scipy_reference.py");
const python = spawnSync("python3", ["-c", "import numpy, scipy"], { stdio: "ignore" }).status === 0;
const reason = !existsSync(REF) ? `reference ${REF} is absent` : !python ? "python3 cannot import numpy + scipy" : "";
if (reason) console.warn(`skipping the scipy cross-check: ${reason}`);

/** Relative tolerance: same distances; sums may differ in the last bits (summation order). */
const TOL = 1e-12;

describe.skipIf(reason !== "")("metrics equal the scipy reference (metrics_ref.py)", () => {
  it("random 2D and 3D label volumes, anisotropic spacing", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "metrics-ref-"));
    try {
      const specs: { shape: number[]; spacing: number[]; seed: number }[] = [
        { shape: [24, 20, 12], spacing: [0.7, 0.9, 2.5], seed: 1 },
        { shape: [16, 18, 10], spacing: [1, 1, 1], seed: 2 },
        { shape: [30, 9, 7], spacing: [0.5, 1.7, 1.2], seed: 3 },
        { shape: [40, 33], spacing: [0.8, 1.3], seed: 4 },
      ];
      const cases = specs.map(({ shape, spacing, seed }, k) => {
        const pred = randomBlobs(shape, 3, seed * 2);
        const gt = randomBlobs(shape, 3, seed * 2 + 1);
        if (k === 0) for (let i = 0; i < gt.length; i++) if (gt[i] === 3) gt[i] = 0; // class 3: pred only
        writeFileSync(path.join(dir, `p${k}.bin`), pred);
        writeFileSync(path.join(dir, `g${k}.bin`), gt);
        return { pred, gt, shape, spacing, classes: [1, 2, 3, 4] };
      });
      const job = cases.map((c, k) => ({
        pred: path.join(dir, `p${k}.bin`),
        gt: path.join(dir, `g${k}.bin`),
        shape: c.shape,
        spacing: c.spacing,
        classes: c.classes,
      }));
      writeFileSync(path.join(dir, "job.json"), JSON.stringify({ cases: job }));
      const out = execFileSync("python3", [DRIVER, REF, path.join(dir, "job.json")], { encoding: "utf8" });
      const expected = JSON.parse(out) as Record<string, Record<string, JsonMetricValue>>[];
      let finite = 0;
      cases.forEach((c, k) => {
        const ours = computeCaseMetrics(c.pred, c.gt, c);
        for (const [cls, metrics] of Object.entries(expected[k]!)) {
          for (const [name, value] of Object.entries(metrics)) {
            const e = fromJsonValue(value);
            const a = ours[cls]![name as "dice"];
            if (Number.isFinite(e)) {
              finite++;
              expect(Math.abs(a - e), `case ${k} class ${cls} ${name}: ${a} vs ${e}`).toBeLessThanOrEqual(TOL * Math.abs(e));
            } else expect(a, `case ${k} class ${cls} ${name}`).toBe(e);
          }
        }
      });
      expect(finite).toBeGreaterThan(40);
      expect(expected[0]!["3"]!.hd).toBe("inf");
      expect(expected[0]!["4"]!.hd).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
