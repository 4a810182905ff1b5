import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeBtcvRawTree } from "@transseg/datasets/testing";
import { describe, expect, it } from "vitest";
import { cli, fixture, HAS_FIXTURES, scratch } from "../test-helpers.js";

const plugin = (name: string) => resolve(import.meta.dirname, "../../test-plugins", name);
const tiny = ["--init", "random", "--encoder", "beit-tiny", "--img", "32x32", "--steps", "1", "--batch", "1", "--val-every", "0", "--backend", "wasm", "--threads", "1", "--workers", "0"];
const options = (run: string) => JSON.parse(readFileSync(join(run, "run.json"), "utf8")).options as Record<string, unknown>;

describe("transseg train: plugins and the paper's split", () => {
  const dir = scratch("cli-train-plugins-");

  it("--plugin: a task profile and a loss of a plugin train like built-in ones", async () => {
    const data = join(dir, "mytask");
    expect((await cli("synth", "--task", "MyTask", "-o", data, "--cases", "4", "--test-cases", "0", "--size", "32", "--quiet", "--plugin", plugin("every-kind.ts"))).code).toBe(0);
    const run = join(dir, "mytask-run");
    const r = await cli("train", "--data", data, "-o", run, "--loss", "my-dice-ce", ...tiny, "--quiet", "--plugin", plugin("every-kind.ts"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(options(run)).toMatchObject({ task: "MyTask", loss: "my-dice-ce", split: "seeded" });
  }, 120_000);

  it.skipIf(!HAS_FIXTURES)("--plugin --strategy: a 2D checkpoint inflated by a plugin's strategy", async () => {
    const data = join(dir, "spleen");
    expect((await cli("synth", "--task", "Task09_Spleen", "-o", data, "--cases", "4", "--test-cases", "0", "--size", "32", "--quiet")).code).toBe(0);
    const run = join(dir, "triangle-run");
    const args = ["--init", fixture("vit2d.safetensors"), "--heads", "4", "--img", "32x32", "--steps", "1", "--batch", "1", "--val-every", "0", "--backend", "wasm", "--threads", "1", "--workers", "0", "--quiet"];
    const r = await cli("train", "--data", data, "-o", run, "--strategy", "triangle", ...args, "--plugin", plugin("triangle.ts"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(options(run)).toMatchObject({ inflation: "triangle" });
    const unknown = await cli("train", "--data", data, "-o", join(dir, "x"), "--strategy", "triangle", ...args);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^transseg: .*unknown inflation strategy "triangle"/);
  }, 120_000);

  it("--split paper on a raw BTCV download: the paper's 18 / 12 / 12 scans, said on stderr and recorded in run.json", async () => {
    const raw = join(dir, "btcv");
    await writeBtcvRawTree(raw);
    const run = join(dir, "btcv-run");
    const r = await cli("train", "--data", raw, "-o", run, "--split", "paper", ...tiny);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("split: 18 train / 12 validation / 12 test, paper split (validation = test, as the paper)\n");
    expect(options(run)).toMatchObject({ task: "BTCV", split: "paper" });
    const typo = await cli("train", "--data", raw, "-o", join(dir, "typo"), "--split", "papr", ...tiny, "--quiet");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown split "papr": did you mean "paper"\?/);
  }, 120_000);
});
