import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getProfile, synthesizeDataset } from "@transseg/datasets";
import { readCheckpoint } from "@transseg/weights";
import { initBackend } from "@transseg/vit3d";
import { beforeAll, describe, expect, it } from "vitest";
import { builtinBudgets, type StudyBudget } from "./budgets.js";
import { mergeStudies } from "./merge.js";
import { pretrain2d } from "./pretrain.js";
import type { StudyResults } from "./results.js";
import { withoutTiming } from "./results.js";
import { runStudy } from "./run-study.js";

const ENCODER = { kind: "beit", dim: 16, depth: 2, heads: 2, mlp_ratio: 2, patch: 8 } as const;

/** A budget small enough for a unit test: 2 steps of one 32×32 window, 5 cases of 32×32×6. */
const tinyBudget = {
  id: "tiny",
  description: "unit-test budget",
  train: { img: [32, 32], steps: 2, batch: 1, lr: 1e-3, warmup: 1, dropout: 0, foregroundProbability: 0.9, valEvery: 0, valCases: 1, saveEvery: 100, logEvery: 1, workers: 0 },
  randomEncoder: ENCODER,
  randomPreset: null,
  synth: { cases: 5, size: 32, depth: 6 },
  seeds: [0],
  sources: [],
  reason: "unit tests",
  predictBatch: 8,
  processes: 1,
} as const satisfies StudyBudget;

const registries = { budgets: { ...builtinBudgets, tiny: tinyBudget } };
const readResults = (dir: string) => JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as StudyResults;

describe("study: pre-train, run, shard + merge", () => {
  const root = mkdtempSync(join(tmpdir(), "bench-study-"));
  const ckpt = join(root, "enc2d.safetensors");
  const common = { budget: "tiny", datasets: ["Task04_Hippocampus", "Task05_Prostate"], variants: ["ours", "random"], seeds: [7], pretrained: ckpt, backend: "wasm", threads: 1, log: () => {}, registries };

  beforeAll(async () => {
    await initBackend("wasm", { threads: 1 });
    await pretrain2d({ out: ckpt, work: join(root, "pretrain"), steps: 1, cases: 3, size: 32, encoder: ENCODER, img: [32, 32], batch: 1 });
  });

  it("pre-training keeps only the 2D encoder, in canonical BEiT names, one input channel, with its recipe", async () => {
    const c = await readCheckpoint(ckpt);
    const names = [...c.tensors.keys()];
    expect(names.every((n) => !n.startsWith("encoder.") && !n.startsWith("decoder."))).toBe(true);
    expect(names).toContain("cls_token");
    expect(names).toContain("blocks.1.attn.relative_position_bias_table");
    expect(c.tensors.get("patch_embed.proj.weight")?.shape).toEqual([16, 1, 8, 8]);
    const meta = JSON.parse(c.metadata.transseg_pretrain!) as Record<string, unknown>;
    expect(meta).toMatchObject({ format: "transseg-pretrain-2d/2", kind: "medical-like", profiles: ["BTCV"], steps: 1 });
  });

  it("shard 0/2 + shard 1/2 merged give the same results.json as one unsharded run (timing aside)", async () => {
    const whole = join(root, "whole");
    const r = await runStudy({ ...common, out: whole });
    expect(r.ran).toEqual(["Task04_Hippocampus/ours@pretrained/s7", "Task04_Hippocampus/random/s7", "Task05_Prostate/ours@pretrained/s7", "Task05_Prostate/random/s7"]);
    expect(r.results.missing).toEqual([]);
    const s0 = await runStudy({ ...common, out: join(root, "s0"), shard: { index: 0, count: 2 } });
    const s1 = await runStudy({ ...common, out: join(root, "s1"), shard: { index: 1, count: 2 } });
    expect(s0.ran).toEqual(["Task04_Hippocampus/ours@pretrained/s7", "Task05_Prostate/ours@pretrained/s7"]);
    expect(s1.ran).toEqual(["Task04_Hippocampus/random/s7", "Task05_Prostate/random/s7"]);
    expect(s0.results.missing).toEqual(s1.ran);
    const merged = mergeStudies([join(root, "s0"), join(root, "s1")], join(root, "merged"), registries);
    expect(merged.results.missing).toEqual([]);
    expect(withoutTiming(readResults(join(root, "merged")))).toEqual(withoutTiming(readResults(whole)));

    const a = readResults(whole);
    const job = a.jobs.find((j) => j.key === "Task05_Prostate/ours@pretrained/s7")!;
    expect(job).toMatchObject({ column: "ours@pretrained", variant: "ours", source: "pretrained", seed: 7, label: "Ours", strategy: "center", data: "synthetic", steps: 2, seeds: { train: 7, split: 1234 } });
    expect(a.settings.sources).toEqual([{ name: "pretrained", file: ckpt, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), recipe: expect.stringContaining('"profiles":["BTCV"]') }]);
    expect(a.design).toEqual(readResults(join(root, "merged")).design);
    expect(Object.keys(job.dice)).toEqual(["1", "2"]);
    expect(job.train).toMatchObject({ variant: "3d", init: "checkpoint", checkpoint: ckpt, inflation: "center", img: [32, 32] });
    expect(a.jobs.find((j) => j.key === "Task05_Prostate/random/s7")!.train).toMatchObject({ variant: "2d", init: "random", encoder: ENCODER });
    for (const f of ["results.md", "report.html"]) expect(existsSync(join(root, "merged", f))).toBe(true);
    expect(readFileSync(join(root, "merged", "report.html"), "utf8")).toContain("data:image/png;base64,");
  });

  it("uses <root>/<TaskName>/dataset.json when present (real data: the paper's numbers beside ours, the split named)", async () => {
    const realRoot = join(root, "msd");
    await synthesizeDataset({ profile: getProfile("Task04_Hippocampus"), outDir: join(realRoot, "Task04_Hippocampus"), cases: 5, testCases: 0, size: 32, depth: 6, seed: 99 });
    const r = await runStudy({ ...common, datasets: ["Task04_Hippocampus"], variants: ["ours"], root: realRoot, out: join(root, "real") });
    expect(r.results.jobs[0]).toMatchObject({ key: "Task04_Hippocampus/ours@pretrained/s7", data: "real", seeds: { data: null } });
    expect(existsSync(join(root, "real", "data"))).toBe(false);
    const md = readFileSync(join(root, "real", "results.md"), "utf8");
    expect(md).toContain("| dataset | data | Ours | paper Ours |");
    // 5 cases are not the paper's 260: the seeded split, said in the row
    expect(md).toMatch(/\| Task04_Hippocampus \| real, seeded split \| \d+\.\d\d \| 86\.83 \|/);
    expect(r.results.jobs[0]!.split).toMatchObject({ paper: false, train: 3, val: 1, test: 1 });
  });

  it("seeds × named sources: data fixed across seeds, one job per seed and source, statistics over seeds", async () => {
    const out = join(root, "seeds");
    const r = await runStudy({ ...common, datasets: ["Task04_Hippocampus"], variants: ["2d", "random"], seeds: [1, 2], pretrained: `a=${ckpt},b=${ckpt}`, out });
    expect(r.ran).toEqual([
      "Task04_Hippocampus/2d@a/s1", "Task04_Hippocampus/2d@b/s1", "Task04_Hippocampus/random/s1",
      "Task04_Hippocampus/2d@a/s2", "Task04_Hippocampus/2d@b/s2", "Task04_Hippocampus/random/s2",
    ]);
    const res = readResults(out);
    expect(new Set(res.jobs.map((j) => j.seeds.data)).size).toBe(1); // one synthetic dataset for every seed
    expect(res.jobs.map((j) => [j.seed, j.seeds.train, j.train.seed])).toEqual([[1, 1, 1], [1, 1, 1], [1, 1, 1], [2, 2, 2], [2, 2, 2], [2, 2, 2]]);
    expect(res.jobs.map((j) => j.label)).toEqual(["w/o D (a)", "w/o D (b)", "w/o T&D", "w/o D (a)", "w/o D (b)", "w/o T&D"]);
    expect(existsSync(join(out, "jobs", "Task04_Hippocampus__2d@b__s2.json"))).toBe(true);
    expect(existsSync(join(out, "runs", "Task04_Hippocampus", "2d@b", "s2"))).toBe(true);
    // the same checkpoint under two names and the same seed train the same model
    const dice = (key: string) => res.jobs.find((j) => j.key === key)!.meanDice;
    expect(dice("Task04_Hippocampus/2d@a/s1")).toBe(dice("Task04_Hippocampus/2d@b/s1"));
    expect(res.summary.cells.Task04_Hippocampus!["2d@a"]).toMatchObject({ n: 2 });
    expect(res.comparisons.items.map((c) => c.id)).toEqual(["2d@a-vs-random", "2d@b-vs-random", "2d@a-vs-2d@b"]);
    expect(res.comparisons.items.every((c) => c.verdict === "inconclusive" && c.interval === null)).toBe(true); // one dataset
    expect(res.comparisons.items[2]!.differences).toEqual({ Task04_Hippocampus: 0 });
    expect(readFileSync(join(out, "results.md"), "utf8").split("\n")[0]).toBe(`# TransSeg study — tiny budget — design ${res.design.sha256}`);
  });

  it("a second run in the same folder keeps finished jobs; a different study there is refused", async () => {
    const again = await runStudy({ ...common, out: join(root, "s0"), shard: { index: 0, count: 2 } });
    expect(again.ran).toEqual([]);
    expect(again.reused).toHaveLength(2);
    await expect(runStudy({ ...common, seeds: [8], out: join(root, "s0") })).rejects.toThrow(/study\.json: the folder holds a different study/);
    expect(() => mergeStudies([join(root, "s0"), join(root, "pretrain")], join(root, "m2"), registries)).toThrow(/pretrain\/study\.json: not found/);
  });
});
