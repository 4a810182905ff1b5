import { describe, expect, it } from "vitest";
import { builtinStrategies } from "@transseg/inflate";
import { ABLATION_DATASETS, buildJobs, parseDatasets, parseIdList, parseSeeds, parseShard, shardJobs, STUDY_DATASETS, studyColumns } from "./jobs.js";
import { jobFileName } from "./results.js";
import { builtinVariants } from "./variants.js";

const medical = [{ name: "medical" }];
const two = [{ name: "medical" }, { name: "natural" }];

describe("job matrix", () => {
  it("lists seeds, then datasets, then columns (variants per source, random once, then the ablation per source)", () => {
    const jobs = buildJobs({ datasets: ["ACDC", "Task09_Spleen"], variants: ["ours", "2d", "random"], strategies: ["center", "average"], seeds: [0, 1], sources: medical });
    expect(jobs.map((j) => j.key)).toEqual([
      "ACDC/ours@medical/s0", "ACDC/2d@medical/s0", "ACDC/random/s0", "ACDC/ours-average@medical/s0",
      "Task09_Spleen/ours@medical/s0", "Task09_Spleen/2d@medical/s0", "Task09_Spleen/random/s0", "Task09_Spleen/ours-average@medical/s0",
      "ACDC/ours@medical/s1", "ACDC/2d@medical/s1", "ACDC/random/s1", "ACDC/ours-average@medical/s1",
      "Task09_Spleen/ours@medical/s1", "Task09_Spleen/2d@medical/s1", "Task09_Spleen/random/s1", "Task09_Spleen/ours-average@medical/s1",
    ]);
    expect(jobs.map((j) => j.index)).toEqual([...jobs.keys()]);
    expect(jobs[3]).toMatchObject({ column: "ours-average@medical", variant: "ours", source: "medical", strategy: "average", seed: 0, label: "Ours (medical, average)" });
    expect(jobs[10]).toMatchObject({ column: "random", variant: "random", source: null, strategy: null, seed: 1, label: "w/o T&D" });
    // without Ours in the variants, the center job is a job of its own
    expect(buildJobs({ datasets: ["ACDC"], variants: ["random"], strategies: ["center"], seeds: [3], sources: medical }).map((j) => j.key)).toEqual(["ACDC/random/s3", "ACDC/ours-center@medical/s3"]);
  });

  it("runs the checkpoint variants once per source and w/o T&D once; named sources carry their name, the unnamed one stays plain", () => {
    const cols = studyColumns({ variants: ["ours", "2d", "random"], strategies: [], sources: two });
    expect(cols.map((c) => [c.id, c.label])).toEqual([
      ["ours@medical", "Ours (medical)"], ["ours@natural", "Ours (natural)"],
      ["2d@medical", "w/o D (medical)"], ["2d@natural", "w/o D (natural)"], ["random", "w/o T&D"],
    ]);
    expect(studyColumns({ variants: ["ours", "2d"], strategies: [], sources: medical }).map((c) => c.label)).toEqual(["Ours (medical)", "w/o D (medical)"]);
    expect(studyColumns({ variants: ["ours", "2d"], strategies: ["average"], sources: [{ name: "pretrained" }] }).map((c) => c.label)).toEqual(["Ours", "w/o D", "Ours (average)"]);
    expect(() => studyColumns({ variants: ["ours"], strategies: [], sources: [] })).toThrow(/variant "ours" needs a 2D pre-trained checkpoint/);
    expect(studyColumns({ variants: ["random"], strategies: [], sources: [] }).map((c) => c.id)).toEqual(["random"]);
  });

  it("job file names are derived from the key", () => {
    expect(jobFileName("Task09_Spleen/ours@medical/s1")).toBe("Task09_Spleen__ours@medical__s1.json");
  });

  it("the full study is 11 datasets × 3 variants = 33 jobs per seed and source; two sources and three seeds make 165", () => {
    expect(STUDY_DATASETS).toHaveLength(11);
    expect(STUDY_DATASETS).not.toContain("BTCV");
    expect(parseDatasets("all")).toEqual([...STUDY_DATASETS]);
    const variants = Object.keys(builtinVariants);
    expect(buildJobs({ datasets: parseDatasets(undefined), variants, strategies: [], seeds: [0], sources: medical })).toHaveLength(33);
    expect(buildJobs({ datasets: parseDatasets(undefined), variants, strategies: [], seeds: [0, 1, 2], sources: two })).toHaveLength(11 * 5 * 3);
  });

  it("shards partition the matrix: every job in exactly one shard, sizes differ by at most one, seeds spread over shards", () => {
    const jobs = buildJobs({ datasets: [...STUDY_DATASETS], variants: ["ours", "2d", "random"], strategies: [], seeds: [0, 1, 2], sources: two });
    for (const n of [1, 2, 3, 4, 7, 33, 40]) {
      const parts = Array.from({ length: n }, (_, i) => shardJobs(jobs, parseShard(`${i}/${n}`)));
      expect(parts.flat().map((j) => j.key).sort()).toEqual(jobs.map((j) => j.key).sort());
      const sizes = parts.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    for (let i = 0; i < 4; i++) expect(new Set(shardJobs(jobs, { index: i, count: 4 }).map((j) => j.seed))).toEqual(new Set([0, 1, 2]));
  });

  it("parses --seeds and rejects bad seeds, bad shards and unknown ids with the nearest valid id", () => {
    expect(parseSeeds("0, 1,2")).toEqual([0, 1, 2]);
    expect(() => parseSeeds("0,1,1")).toThrow(/given twice/);
    expect(() => parseSeeds("0,-1")).toThrow(/non-negative integers/);
    expect(() => parseSeeds("")).toThrow(/non-negative integers/);
    expect(() => parseShard("2/2")).toThrow(/0 <= i < n/);
    expect(() => parseShard("1")).toThrow(/expected i\/n/);
    expect(() => parseDatasets("ACDC,Task09_Spleeen")).toThrow(/did you mean "Task09_Spleen"/);
    expect(() => parseIdList("variant", "ours,2D", builtinVariants)).toThrow(/unknown variant "2D": did you mean "2d"\? \(known: ours, 2d, random\)/);
    expect(() => buildJobs({ datasets: ["ACDC"], variants: ["ours"], strategies: ["centre"], seeds: [0], sources: medical })).toThrow(/did you mean "center"/);
  });

  it("resolves the ablation's strategies in the registry given (a plugin's strategy), the built-ins by default", () => {
    const strategies = { ...builtinStrategies, triangle: { ...builtinStrategies.average, id: "triangle" } };
    const settings = { datasets: ["BTCV"], variants: ["ours"], strategies: ["average", "triangle"], seeds: [0], sources: medical };
    expect(buildJobs(settings, { strategies }).map((j) => j.key)).toEqual(["BTCV/ours@medical/s0", "BTCV/ours-average@medical/s0", "BTCV/ours-triangle@medical/s0"]);
    expect(() => buildJobs(settings)).toThrow(/unknown inflation strategy "triangle"/);
    expect(ABLATION_DATASETS).toEqual(["BTCV"]);
  });
});
