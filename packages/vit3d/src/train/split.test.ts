import { BTCV_CASE_NUMBERS, BTCV_PAPER_HELD_OUT, splitCases } from "@transseg/datasets";
import { writeBtcvRawTree } from "@transseg/datasets/testing";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/init-backend.js";
import { resolveTrainOptions } from "./options.js";
import { describeSplit, runSplit, splitSummary } from "./split.js";
import { tinyRunOptions } from "./testing-data.js";
import { train } from "./trainer.js";

const btcvCases = BTCV_CASE_NUMBERS.map((n) => ({ id: `img${String(n).padStart(4, "0")}` }));
const profile = { id: "BTCV", img: [32, 32] as const, paper: { steps: 10 } };

describe("a run's split", () => {
  it("seeded (the default) is splitCases with the split seed; paper is the paper's cases when the list is the paper's", () => {
    const seeded = runSplit(btcvCases, { task: "BTCV", splitSeed: 7 });
    expect(seeded).toMatchObject({ paper: false, valIsTest: false, source: "splitCases (seed 7)" });
    expect(seeded.test).toEqual(splitCases(btcvCases, { seed: 7 }).test);
    const paper = runSplit(btcvCases, { split: "paper", task: "BTCV", splitSeed: 7 });
    expect(paper).toMatchObject({ paper: true, valIsTest: true });
    expect(paper.test.map((c) => Number(c.id.slice(3)))).toEqual([...BTCV_PAPER_HELD_OUT]);
    expect(describeSplit(splitSummary(paper))).toBe("18 train / 12 validation / 12 test, paper split (validation = test, as the paper)");
    const partial = runSplit(btcvCases.slice(0, 20), { split: "paper", task: "BTCV", splitSeed: 1234 });
    expect(partial.paper).toBe(false);
    expect(describeSplit(splitSummary(partial))).toMatch(/^16 train \/ 3 validation \/ 1 test, seeded split \(not the paper's: .+\)$/);
  });

  it("is a train option: seeded by default, recorded resolved, unknown values named", () => {
    expect(resolveTrainOptions({ data: "d", out: "o" }, profile).split).toBe("seeded");
    expect(resolveTrainOptions({ data: "d", out: "o", split: "paper" }, profile).split).toBe("paper");
    expect(() => resolveTrainOptions({ data: "d", out: "o", split: "paprer" as never }, profile)).toThrow(/unknown split "paprer": did you mean "paper"\? \(known: seeded, paper\)/);
  });
});

describe("training on a raw download with the paper's split", () => {
  const dir = mkdtempSync(join(tmpdir(), "vit3d-split-"));
  beforeAll(async () => {
    await initBackend("wasm", { threads: 1 });
    await writeBtcvRawTree(join(dir, "btcv"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads RawData in place (openDataset), trains on the paper's 18 scans and records split: paper in run.json", async () => {
    const out = join(dir, "run");
    const r = await train(tinyRunOptions(join(dir, "btcv"), out, { steps: 1, batch: 1, split: "paper", valCases: 1, foregroundProbability: 0 }));
    expect(r).toMatchObject({ step: 1, stopped: "completed", split: { paper: true, valIsTest: true, train: 18, val: 12, test: 12 } });
    const options = JSON.parse(readFileSync(join(out, "run.json"), "utf8")).options;
    expect(options).toMatchObject({ split: "paper", task: "BTCV", splitSeed: 1234 });
  }, 120_000);
});
