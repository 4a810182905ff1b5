import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deriveSeed, getProfile } from "@transseg/datasets";
import { describe, expect, it } from "vitest";
import { quickBudget } from "./budgets.js";
import { buildJobs } from "./jobs.js";
import { jobDataset, jobTrainOptions, stringSeed } from "./run-job.js";
import { sampleResults } from "./testing-results.js";
import { builtinVariants } from "./variants.js";

describe("a job's inputs", () => {
  const { settings } = sampleResults().results;
  const jobs = buildJobs(settings);
  const job = (key: string) => jobs.find((j) => j.key === key)!;
  const medical = settings.sources[0]!;
  const natural = settings.sources[1]!;

  it("trains with the job's seed and its source's checkpoint; random init takes the budget's encoder", () => {
    const ours = jobTrainOptions(job("ACDC/ours@natural/s2"), { settings, budget: quickBudget, variant: builtinVariants.ours, source: natural });
    expect(ours).toMatchObject({ task: "ACDC", variant: "3d", init: "checkpoint", checkpoint: natural.file, inflation: "center", seed: 2, splitSeed: 1234, steps: quickBudget.train.steps });
    const random = jobTrainOptions(job("ACDC/random/s1"), { settings: { ...settings, steps: 3 }, budget: quickBudget, variant: builtinVariants.random, source: null });
    expect(random).toMatchObject({ variant: "2d", init: "random", seed: 1, steps: 3, encoder: quickBudget.randomEncoder });
    expect(random).not.toHaveProperty("checkpoint");
    expect(() => jobTrainOptions(job("ACDC/2d@medical/s0"), { settings, budget: quickBudget, variant: builtinVariants["2d"], source: null })).toThrow(/ACDC\/2d@medical\/s0: variant "2d" needs a 2D pre-trained checkpoint/);
    expect(jobTrainOptions(job("ACDC/2d@medical/s0"), { settings, budget: quickBudget, variant: builtinVariants["2d"], source: medical }).checkpoint).toBe(medical.file);
  });

  it("the synthetic data seed comes from the study's data seed and the dataset id, not from the training seeds", async () => {
    expect(stringSeed("ACDC")).toBe(stringSeed("ACDC"));
    expect(stringSeed("ACDC")).not.toBe(stringSeed("Task09_Spleen"));
    const budget = { ...quickBudget, synth: { cases: 2, size: 16, depth: 4 } };
    const out = mkdtempSync(join(tmpdir(), "bench-job-"));
    const profile = getProfile("Task09_Spleen");
    const a = await jobDataset({ out, settings: { ...settings, seeds: [5] }, budget, profile });
    expect(a).toEqual({ folder: join(out, "data", "Task09_Spleen"), kind: "synthetic", seed: deriveSeed(0, stringSeed("Task09_Spleen")), layout: "decathlon" });
    expect((await jobDataset({ out: mkdtempSync(join(tmpdir(), "bench-job-")), settings: { ...settings, dataSeed: 3 }, budget, profile })).seed).toBe(deriveSeed(3, stringSeed("Task09_Spleen")));
  });
});
