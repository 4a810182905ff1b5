import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { builtinProfiles } from "@transseg/datasets";
import { writeAcdcRawTree, writeBtcvRawTree, writeMsdTree } from "@transseg/datasets/testing";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../main.js";
import { dataSplit, describeStudyData, findRealDatasets } from "./real-data.js";
import type { StudyResults } from "./results.js";

/** A --root folder as users download the data: raw ACDC and BTCV, an MSD task as it unpacks (with `._*` files). */
async function dataRoot(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "bench-root-"));
  await writeAcdcRawTree(join(root, "ACDC"));
  await writeBtcvRawTree(join(root, "Abdomen"));
  await writeMsdTree(join(root, "Task04_Hippocampus"), "Task04_Hippocampus");
  return root;
}

describe("real data under --root, split as the paper split it", () => {
  let root = "";
  beforeAll(async () => {
    root = await dataRoot();
  }, 60_000);

  it("finds each dataset in either layout, by its raw layout or its folder's name", async () => {
    const found = await findRealDatasets(root, Object.keys(builtinProfiles));
    expect([...found.entries()].map(([id, f]) => [id, f.layout])).toEqual([["ACDC", "acdc"], ["BTCV", "btcv"], ["Task04_Hippocampus", "decathlon"]]);
  });

  it("says per dataset where its data are, the train / validation / test counts and whether they are the paper's split", async () => {
    const lines = await describeStudyData({ root, datasets: ["ACDC", "Task04_Hippocampus", "Task09_Spleen"], split: "paper", splitSeed: 1234 }, Object.keys(builtinProfiles));
    expect(lines).toEqual([
      `data: ACDC: ${join(root, "ACDC")} (acdc layout): 160 train / 40 validation / 40 test, paper split (validation = test, as the paper)`,
      `data: Task04_Hippocampus: ${join(root, "Task04_Hippocampus")} (decathlon layout): 208 train / 39 validation / 13 test, paper split`,
      `data: Task09_Spleen: not under ${root}: synthetic phantoms (seeded split)`,
      `data: also under ${root}, not in this study: BTCV`,
    ]);
    expect(await describeStudyData({ root: null, datasets: ["ACDC"], split: null, splitSeed: 1234 }, ["ACDC"])).toEqual([]);
  });

  it("real data take the study's split, synthetic data the seeded one", () => {
    expect(dataSplit({ split: "paper" }, "real")).toBe("paper");
    expect(dataSplit({ split: "paper" }, "synthetic")).toBe("seeded");
    expect(dataSplit({ split: "seeded" }, "real")).toBe("seeded");
  });

  it("transseg-bench run --root --plugin --strategies: the ablation on the raw BTCV scans, paper split, the plugin recorded", async () => {
    const out = mkdtempSync(join(tmpdir(), "bench-root-study-"));
    const plugin = resolve(import.meta.dirname, "../../../cli/test-plugins/triangle.ts");
    const err: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    vi.spyOn(process.stderr, "write").mockImplementation((s) => (err.push(String(s)), true));
    let code: number;
    try {
      code = await main(["run", "-o", out, "--root", root, "--budget", "quick", "--steps", "1", "--strategies", "triangle", "--variants", "ours", "--plugin", plugin, "--jobs", "1", "--threads", "1", "--backend", "wasm"]);
    } finally {
      vi.restoreAllMocks();
    }
    const log = err.join("");
    expect(code, log).toBe(0);
    expect(log).toContain(`data: BTCV: ${join(root, "Abdomen")} (btcv layout): 18 train / 12 validation / 12 test, paper split (validation = test, as the paper)\n`);
    expect(log).toContain(`data: also under ${root}, not in this study: ACDC, Task04_Hippocampus\n`);
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as StudyResults;
    expect(results.jobs.map((j) => [j.key, j.data, j.split?.paper, j.testCases.length])).toEqual([["BTCV/ours@medical/s0", "real", true, 12], ["BTCV/ours-triangle@medical/s0", "real", true, 12]]);
    expect(results.jobs[1]!.train).toMatchObject({ inflation: "triangle", split: "paper", task: "BTCV" });
    expect(results.settings).toMatchObject({ root, split: "paper", plugins: [{ name: "triangle.ts", version: null, file: plugin, provides: { strategies: ["triangle"] } }] });
    expect(Object.keys(results.design.parts)).toContain("plugins");
    const md = readFileSync(join(out, "results.md"), "utf8");
    expect(md).toMatch(/\| BTCV \| real, paper split \| \d+\.\d\d \| 87\.13 \|/);
    expect(md).toContain("| paper | 72.49 | 76.33 | 84.30 | – |");
    expect(md).toContain("## Plugins\n\n- triangle.ts (sha256 ");
  }, 300_000);
});
