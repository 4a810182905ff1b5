import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadDataset, readNifti } from "@transseg/datasets";
import { describe, expect, it } from "vitest";
import { cli, scratch } from "../test-helpers.js";

describe("transseg synth", () => {
  it("writes a Decathlon-layout dataset that loads back", async () => {
    const out = join(scratch(), "spleen");
    const r = await cli("synth", "--task", "Task09_Spleen", "-o", out, "--cases", "3", "--test-cases", "1", "--size", "32", "--seed", "7", "--quiet");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 training and 1 test cases of Task09_Spleen/);
    const ds = await loadDataset(out);
    expect(ds.training).toHaveLength(3);
    expect(ds.test).toHaveLength(1);
    const label = await readNifti(ds.training[0]!.label);
    expect(label.shape[0]).toBe(32);
    expect(JSON.parse(readFileSync(join(out, "dataset.json"), "utf8")).labels).toMatchObject({ "0": "background" });
  });

  it("an unknown task suggests the nearest profile, exit 2, nothing written", async () => {
    const out = join(scratch(), "x");
    const r = await cli("synth", "--task", "Task09_Splen", "-o", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did you mean "Task09_Spleen"/);
    expect(existsSync(out)).toBe(false);
  });

  it("--plugin adds a task profile (checked by validateProfile on load)", async () => {
    const out = join(scratch(), "mine");
    const plugin = resolve(import.meta.dirname, "../../test-plugins/every-kind.ts");
    const r = await cli("synth", "--task", "MyTask", "-o", out, "--cases", "1", "--test-cases", "0", "--size", "16", "--plugin", plugin);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("plugin every-kind.ts (sha256 ");
    expect(r.stderr).toContain("task profile MyTask");
    expect(r.stdout).toMatch(/1 training and 0 test cases of MyTask/);
  }, 60_000);
});
