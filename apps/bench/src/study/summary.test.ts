import { describe, expect, it } from "vitest";
import { compareColumns, meanCurve, pairedDifferences, seedMean, summarize } from "./summary.js";
import { sampleResults } from "./testing-results.js";

describe("summary over seeds", () => {
  const { results } = sampleResults();
  const { settings, jobs } = results;

  it("per dataset and column: mean, sample sd (n − 1) and n of meanDice over seeds, values by seed", () => {
    const s = summarize(settings, jobs);
    expect(s.columns.map((c) => c.id)).toEqual(["ours@medical", "ours@natural", "2d@medical", "2d@natural", "random"]);
    const cell = s.cells.ACDC!["ours@medical"]!;
    expect(cell.n).toBe(3);
    expect(cell.mean).toBeCloseTo(0.9, 9);
    expect(cell.sd).toBeCloseTo(0.01, 9);
    expect(cell.values).toEqual({ "0": 0.89, "1": 0.9, "2": 0.91 });
    expect(s.cells.Task09_Spleen!.random!.mean).toBeCloseTo(0.65, 9);
  });

  it("one seed: sd is null; a dataset without values: the cell is null and the column has no mean", () => {
    const one = summarize({ ...settings, seeds: [1] }, jobs.filter((j) => j.seed === 1));
    expect(one.cells.ACDC!["2d@natural"]).toMatchObject({ n: 1, sd: null });
    expect(one.means["2d@natural"]).toBeCloseTo((0.78 + 0.73) / 2, 9);
    const gap = summarize(settings, jobs.filter((j) => !(j.dataset === "ACDC" && j.column === "random")));
    expect(gap.cells.ACDC!.random).toBeNull();
    expect(gap.means.random).toBeNull();
    expect(gap.means["ours@medical"]).toBeCloseTo(0.875, 9);
  });

  it("jobs without a meanDice are left out of a cell", () => {
    const holes = jobs.map((j) => (j.key === "ACDC/ours@medical/s2" ? { ...j, meanDice: null } : j));
    expect(summarize(settings, holes).cells.ACDC!["ours@medical"]).toMatchObject({ n: 2, values: { "0": 0.89, "1": 0.9 } });
  });

  it("seedMean averages any job field over seeds", () => {
    expect(seedMean(jobs, "ACDC", "random", (j) => j.meanHd95)).toBe(5 + 1); // 3 + 2 (random) + seeds 0, 1, 2
    expect(seedMean(jobs, "ACDC", "nope", (j) => j.meanHd95)).toBeNull();
  });
});

describe("paired comparisons", () => {
  const { results } = sampleResults();
  const { settings, jobs } = results;

  it("lists depth, transfer and depth, transfer per source, then each pair of sources for Ours and w/o D", () => {
    const c = compareColumns(settings, summarize(settings, jobs));
    expect(c.items.map((x) => [x.kind, x.title, x.a, x.b])).toEqual([
      ["depth", "Depth (Ours − w/o D, medical)", "ours@medical", "2d@medical"],
      ["transfer-and-depth", "Transfer and depth (Ours − w/o T&D, medical)", "ours@medical", "random"],
      ["transfer", "Transfer (w/o D − w/o T&D, medical)", "2d@medical", "random"],
      ["depth", "Depth (Ours − w/o D, natural)", "ours@natural", "2d@natural"],
      ["transfer-and-depth", "Transfer and depth (Ours − w/o T&D, natural)", "ours@natural", "random"],
      ["transfer", "Transfer (w/o D − w/o T&D, natural)", "2d@natural", "random"],
      ["source", "Source (Ours: medical − natural)", "ours@medical", "ours@natural"],
      ["source", "Source (w/o D: medical − natural)", "2d@medical", "2d@natural"],
    ]);
    expect(c.bootstrap).toMatchObject({ seed: 20221, resamples: 10_000, confidence: 0.95, resampled: "datasets" });
    const depth = c.items[0]!;
    expect(depth.differences).toEqual({ ACDC: 0.1, Task09_Spleen: 0.1 });
    expect(depth).toMatchObject({ n: 2, positive: 2, verdict: "holds", interval: [0.1, 0.1] });
    expect(depth.mean).toBeCloseTo(0.1, 9);
    expect(c.items[6]!.mean).toBeCloseTo(0.05, 9);
  });

  it("pairs seeds: only the seeds both columns have count", () => {
    // b lacks seed 2 on ACDC: a's mean over seeds 0, 1 is 0.895, b's 0.795
    const partial = jobs.filter((j) => j.key !== "ACDC/2d@medical/s2");
    const d = pairedDifferences(summarize(settings, partial), settings.datasets, "ours@medical", "2d@medical");
    expect(d.ACDC).toBeCloseTo(0.1, 9);
    const shifted = partial.map((j) => (j.key === "ACDC/ours@medical/s2" ? { ...j, meanDice: 0.5 } : j)); // an unpaired seed changes nothing
    expect(pairedDifferences(summarize(settings, shifted), settings.datasets, "ours@medical", "2d@medical").ACDC).toBeCloseTo(0.1, 9);
    const none = jobs.filter((j) => !(j.dataset === "ACDC" && j.column === "2d@medical"));
    expect(pairedDifferences(summarize(settings, none), settings.datasets, "ours@medical", "2d@medical")).not.toHaveProperty("ACDC");
  });

  it("one dataset: no interval, inconclusive; one unnamed source: plain titles and no source comparison", () => {
    const one = { ...settings, datasets: ["ACDC"] };
    const c = compareColumns(one, summarize(one, jobs));
    expect(c.items[0]).toMatchObject({ n: 1, interval: null, verdict: "inconclusive", positive: 1 });
    const plain = sampleResults({ sources: ["pretrained"] }).results;
    expect(plain.comparisons.items.map((x) => x.title)).toEqual(["Depth (Ours − w/o D)", "Transfer and depth (Ours − w/o T&D)", "Transfer (w/o D − w/o T&D)"]);
  });

  it("only comparisons whose columns were run", () => {
    const s = { ...settings, variants: ["ours", "2d"] };
    expect(compareColumns(s, summarize(s, jobs)).items.map((x) => x.kind)).toEqual(["depth", "depth", "source", "source"]);
  });
});

describe("meanCurve", () => {
  it("averages loss curves at the steps every seed has", () => {
    expect(meanCurve([[[1, 1], [2, 0.5], [3, 0.2]], [[1, 0.8], [3, 0.4]]])).toEqual([[1, 0.9], [3, 0.30000000000000004]]);
    expect(meanCurve([])).toEqual([]);
  });
});
