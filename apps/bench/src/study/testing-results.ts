import { overlaySlice } from "./overlay.js";
import { RESULTS_FORMAT, type JobExtras, type JobResult, type StudyResults } from "./results.js";
import { STUDY_FORMAT } from "./jobs.js";

/** A hand-made StudyResults (two datasets, three variants) for the report and table tests. */
export function sampleResults(data: "synthetic" | "real" = "synthetic"): { results: StudyResults; extras: JobExtras[] } {
  const datasets = ["ACDC", "Task09_Spleen"];
  const variants = [["ours", "Ours"], ["2d", "w/o D"], ["random", "w/o T&D"]] as const;
  const jobs: JobResult[] = [];
  const extras: JobExtras[] = [];
  const X = 8;
  const image = { data: Float32Array.from({ length: X * X * 3 }, (_, i) => i % 50), shape: [X, X, 3], spacing: [1, 1, 1], affine: [], datatype: "float32" } as never;
  const truth = Uint8Array.from({ length: X * X * 3 }, (_, i) => (i % X > 3 ? 1 : 0));
  datasets.forEach((d, di) => {
    variants.forEach(([v, label], vi) => {
      const dice = 0.9 - 0.1 * vi - 0.05 * di;
      jobs.push({
        key: `${d}/${v}`, dataset: d, variant: v, label, strategy: v === "ours" ? "center" : null, data,
        testCases: ["case_1"], classes: { "1": "a<b" }, dice: { "1": dice }, meanDice: dice, meanLabels: [1],
        hd95: { "1": 3 + vi }, meanHd95: 3 + vi, steps: 10, bestStep: 10, bestValDice: 0.5, seeds: { train: 0, split: 1234, data: 1 },
        train: {}, trainSeconds: 1, evalSeconds: 1, environment: { backend: "cpu", node: "v20" },
      });
      extras.push({ curve: [[1, 1 - 0.1 * vi], [2, 0.8], [3, 0.5]], validation: [[3, dice]], overlay: overlaySlice("case_1", image, truth, truth, 1, null) });
    });
  });
  const results: StudyResults = {
    format: RESULTS_FORMAT,
    settings: { format: STUDY_FORMAT, budget: "quick", datasets, variants: variants.map((v) => v[0]), strategies: [], seed: 0, splitSeed: 1234, pretrained: { file: "/x/enc.safetensors", sha256: "ab".repeat(32) }, root: null, steps: null },
    budget: {},
    jobs,
    missing: [],
  };
  return { results, extras };
}
