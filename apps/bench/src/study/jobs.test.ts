import { describe, expect, it } from "vitest";
import { buildJobs, parseDatasets, parseIdList, parseShard, shardJobs, STUDY_DATASETS } from "./jobs.js";
import { builtinVariants } from "./variants.js";

describe("job matrix", () => {
  it("lists datasets × variants in a fixed order, then the strategies (center deduplicated against Ours)", () => {
    const jobs = buildJobs({ datasets: ["ACDC", "Task09_Spleen"], variants: ["ours", "2d", "random"], strategies: ["center", "average"] });
    expect(jobs.map((j) => j.key)).toEqual([
      "ACDC/ours", "ACDC/2d", "ACDC/random", "ACDC/ours-average",
      "Task09_Spleen/ours", "Task09_Spleen/2d", "Task09_Spleen/random", "Task09_Spleen/ours-average",
    ]);
    expect(jobs.map((j) => j.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(jobs[3]).toMatchObject({ variant: "ours", strategy: "average" });
    // without Ours in the variants, the center job is a job of its own
    expect(buildJobs({ datasets: ["ACDC"], variants: ["random"], strategies: ["center"] }).map((j) => j.key)).toEqual(["ACDC/random", "ACDC/ours-center"]);
  });

  it("the full study is the 11 generalisation datasets × 3 variants = 33 jobs", () => {
    expect(STUDY_DATASETS).toHaveLength(11);
    expect(STUDY_DATASETS).not.toContain("BTCV");
    expect(parseDatasets("all")).toEqual([...STUDY_DATASETS]);
    expect(buildJobs({ datasets: parseDatasets(undefined), variants: Object.keys(builtinVariants), strategies: [] })).toHaveLength(33);
  });

  it("shards partition the matrix: every job in exactly one shard, sizes differ by at most one", () => {
    const jobs = buildJobs({ datasets: [...STUDY_DATASETS], variants: ["ours", "2d", "random"], strategies: [] });
    for (const n of [1, 2, 3, 4, 7, 33, 40]) {
      const parts = Array.from({ length: n }, (_, i) => shardJobs(jobs, parseShard(`${i}/${n}`)));
      expect(parts.flat().map((j) => j.key).sort()).toEqual(jobs.map((j) => j.key).sort());
      const sizes = parts.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it("rejects bad shards and unknown ids with the nearest valid id", () => {
    expect(() => parseShard("2/2")).toThrow(/0 <= i < n/);
    expect(() => parseShard("1")).toThrow(/expected i\/n/);
    expect(() => parseDatasets("ACDC,Task09_Spleeen")).toThrow(/did you mean "Task09_Spleen"/);
    expect(() => parseIdList("variant", "ours,2D", builtinVariants)).toThrow(/unknown variant "2D": did you mean "2d"\? \(known: ours, 2d, random\)/);
    expect(() => buildJobs({ datasets: ["ACDC"], variants: ["ours"], strategies: ["centre"] })).toThrow(/did you mean "center"/);
  });
});
