import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeNifti } from "@transseg/datasets";
import { describe, expect, it } from "vitest";
import { cli, fixture, HAS_FIXTURES, scratch } from "../test-helpers.js";

const close = (a: unknown, b: unknown) => {
  if (typeof b === "number" && typeof a === "number") return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
  return a === b;
};

describe.skipIf(!HAS_FIXTURES)("transseg eval on the reference fixtures", () => {
  it("equals manifest.json metrics_expected to 1e-6 relative", async () => {
    const manifest = JSON.parse(readFileSync(fixture("manifest.json"), "utf8"));
    const expected = manifest.metrics_expected as Record<string, Record<string, number | null | "inf">>;
    const out = join(scratch(), "m.json");
    const r = await cli("eval", "--pred", fixture("metrics_pred.nii.gz"), "--gt", fixture("metrics_gt.nii.gz"), "--classes", "1,2,3,4,5", "--json", out);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const got = JSON.parse(readFileSync(out, "utf8"));
    expect(got.cases).toHaveLength(1);
    for (const [cls, metrics] of Object.entries(expected)) {
      for (const [name, value] of Object.entries(metrics)) {
        const actual = got.cases[0].classes[cls][name];
        expect(close(actual, value), `class ${cls} ${name}: ${actual} vs ${value}`).toBe(true);
      }
    }
    expect(r.stdout).toMatch(/^case\tclass\tdice/);
  });
});

describe("transseg eval", () => {
  async function pair(dir: string, name: string, pred: number[], gt: number[], shape = [4, 1, 1]) {
    await writeNifti(join(dir, "pred", name), { data: Uint8Array.from(pred), shape, spacing: [1, 1, 1] });
    await writeNifti(join(dir, "gt", name), { data: Uint8Array.from(gt), shape, spacing: [1, 1, 1] });
  }

  it("a report that cannot be written is one line naming the file (exit 1), no temporary file left", async () => {
    const dir = scratch();
    mkdirSync(join(dir, "pred"));
    mkdirSync(join(dir, "gt"));
    await pair(dir, "a.nii.gz", [1, 1, 0, 0], [1, 0, 0, 0]);
    const json = join(dir, "missing-folder", "m.json");
    const r = await cli("eval", "--pred", join(dir, "pred"), "--gt", join(dir, "gt"), "--json", json);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`transseg: ${json}: cannot write (ENOENT: no such file or directory, open '${join(dir, "missing-folder", `.m.json.${process.pid}.tmp`)}', ENOENT); the previous file, if any, is unchanged\n`);
  });

  it("pairs folders by name, aggregates, writes JSON (null / inf) and CSV", async () => {
    const dir = scratch();
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, "pred"));
    mkdirSync(join(dir, "gt"));
    await pair(dir, "a.nii.gz", [1, 1, 0, 0], [1, 0, 0, 0]);
    await pair(dir, "b.nii", [0, 0, 0, 0], [0, 0, 1, 0]);
    const json = join(dir, "m.json");
    const csv = join(dir, "m.csv");
    const r = await cli("eval", "--pred", join(dir, "pred"), "--gt", join(dir, "gt"), "--json", json, "--csv", csv);
    expect(r.code).toBe(0);
    const got = JSON.parse(readFileSync(json, "utf8"));
    expect(got.cases.map((c: { pred: string }) => c.pred.split("/").pop())).toEqual(["a.nii.gz", "b.nii"]);
    expect(got.cases[0].classes["1"].dice).toBeCloseTo(2 / 3, 12);
    expect(got.cases[1].classes["1"].dice).toBe(0);
    expect(got.cases[1].classes["1"].hd95).toBe("inf");
    expect(got.mean["1"]).toMatchObject({ n: 1, n_inf: 1, n_dice: 2 });
    expect(got.mean["1"].dice).toBeCloseTo(1 / 3, 12);
    expect(got.pooled_dice["1"]).toBeCloseTo((2 * 1) / (2 + 2), 12);
    expect(readFileSync(csv, "utf8").split("\n")[0]).toBe("pred,gt,class,dice,iou,hd,hd95,hd95_pooled,assd");
  });

  it("rejects pairs of different shapes with exit code 2", async () => {
    const dir = scratch();
    await writeNifti(join(dir, "p.nii"), { data: new Uint8Array(4), shape: [4, 1, 1] });
    await writeNifti(join(dir, "g.nii"), { data: new Uint8Array(6), shape: [6, 1, 1] });
    const r = await cli("eval", "--pred", join(dir, "p.nii"), "--gt", join(dir, "g.nii"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/p\.nii: shape 4x1x1 differs from .*g\.nii/);
  });

  it("gives identical results on worker threads and in one thread (--threads), errors included", async () => {
    const dir = scratch();
    mkdirSync(join(dir, "pred"));
    mkdirSync(join(dir, "gt"));
    const shape = [24, 20, 12];
    const blob = (cx: number, cy: number, cz: number, r: number, label: number, into: Uint8Array) => {
      for (let z = 0; z < 12; z++) for (let y = 0; y < 20; y++) for (let x = 0; x < 24; x++) if ((x - cx) ** 2 + (y - cy) ** 2 + 4 * (z - cz) ** 2 < r * r) into[x + 24 * (y + 20 * z)] = label;
    };
    for (let k = 0; k < 5; k++) {
      const pred = new Uint8Array(24 * 20 * 12);
      const gt = new Uint8Array(24 * 20 * 12);
      blob(8 + k, 9, 5, 5 + (k % 3), 1, gt);
      blob(9 + k, 8 + (k % 2), 5, 5, 1, pred);
      blob(17, 12, 7, 3 + k, 2, gt);
      if (k !== 3) blob(16, 13 - k, 6, 3, 2, pred); // case 3 misses class 2: infinite distances
      await writeNifti(join(dir, "pred", `c${k}.nii.gz`), { data: pred, shape, spacing: [0.8, 0.9, 2.5] });
      await writeNifti(join(dir, "gt", `c${k}.nii.gz`), { data: gt, shape, spacing: [0.8, 0.9, 2.5] });
    }
    const run = async (threads: string) => {
      const json = join(dir, `t${threads}.json`);
      const r = await cli("eval", "--pred", join(dir, "pred"), "--gt", join(dir, "gt"), "--json", json, "--threads", threads);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      return { stdout: r.stdout, json: readFileSync(json, "utf8") };
    };
    const one = await run("1");
    expect(JSON.parse(one.json).cases).toHaveLength(5);
    for (const threads of ["2", "3"]) expect(await run(threads)).toEqual(one);
    await writeNifti(join(dir, "gt", "c4.nii.gz"), { data: new Uint8Array(6), shape: [6, 1, 1] });
    const bad = await cli("eval", "--pred", join(dir, "pred"), "--gt", join(dir, "gt"), "--threads", "2");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/c4\.nii\.gz: shape 24x20x12 differs from .*c4\.nii\.gz \(6x1x1\)/);
  }, 60_000);

  it("rejects pairs of different affines", async () => {
    const dir = scratch();
    await writeNifti(join(dir, "p.nii"), { data: new Uint8Array(4), shape: [4, 1, 1], spacing: [1, 1, 1] });
    await writeNifti(join(dir, "g.nii"), { data: new Uint8Array(4), shape: [4, 1, 1], spacing: [2, 1, 1] });
    const r = await cli("eval", "--pred", join(dir, "p.nii"), "--gt", join(dir, "g.nii"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/affine differs/);
  });
});
