import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readSafetensors, toFloat32 } from "@transseg/weights";
import { describe, expect, it } from "vitest";
import { cli, fixture, HAS_FIXTURES, scratch } from "../test-helpers.js";

/** Every tensor of `actual` within `rel` × (max |expected|) of the expected file's tensor. */
function expectSameTensors(actualPath: string, expectedPath: string, rel: number) {
  const actual = readSafetensors(actualPath).tensors;
  const expected = readSafetensors(expectedPath).tensors;
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, e] of expected) {
    const a = actual.get(name)!;
    expect(a.dtype, name).toBe("F32");
    expect(a.shape, name).toEqual(e.shape);
    const av = toFloat32(a);
    const ev = toFloat32(e);
    let max = 0;
    for (const v of ev) max = Math.max(max, Math.abs(v));
    let worst = 0;
    for (let i = 0; i < ev.length; i++) worst = Math.max(worst, Math.abs(av[i]! - ev[i]!));
    expect(worst, `${name}: max abs error ${worst} vs max magnitude ${max}`).toBeLessThanOrEqual(rel * Math.max(max, 1e-12));
  }
}

describe.skipIf(!HAS_FIXTURES)("transseg inflate: parity with the PyTorch reference", () => {
  const inputs = [
    ["beit2d.pth", "beit", 1e-5],
    ["beit2d.safetensors", "beit", 1e-5],
    ["beit2d.bf16.safetensors", "beit", 2 ** -7],
    ["vit2d.pth", "vit", 1e-5],
    ["vit2d.safetensors", "vit", 1e-5],
  ] as const;
  for (const [input, kind, tol] of inputs) {
    for (const strategy of ["center", "average", "repeat"]) {
      it(`${input} --strategy ${strategy} gives ${kind}2d_to3d_${strategy}`, async () => {
        const out = join(scratch(), "out.safetensors");
        const r = await cli("inflate", fixture(input), "-o", out, "--strategy", strategy, "--window", "5", "--img", "64x64", "--in-channels", "1", "--quiet");
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expectSameTensors(out, fixture(`${kind}2d_to3d_${strategy}.safetensors`), tol);
        const meta = JSON.parse(readSafetensors(out).metadata.transseg_inflation!);
        expect(meta).toMatchObject({ strategy, window: 5, img: [64, 64], in_channels: 1, patch_depth: 5, source_layout: kind === "vit" ? "timm-vit" : "beit" });
      });
    }
    it(`${input} --img 320x320 up-samples the position tables like PyTorch`, async () => {
      const out = join(scratch(), "out.safetensors");
      const r = await cli("inflate", fixture(input), "-o", out, "--img", "320x320", "--quiet");
      expect(r.code).toBe(0);
      expectSameTensors(out, fixture(`${kind}2d_to3d_center_320.safetensors`), tol);
    });
  }
});

describe("transseg inflate: bad input", () => {
  it("names the file and the problem, exits 2 and writes nothing", async () => {
    const dir = scratch();
    const bad = join(dir, "bad.pth");
    writeFileSync(bad, "PK\x03\x04 this is not really a zip");
    const out = join(dir, "out.safetensors");
    const r = await cli("inflate", bad, "-o", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^transseg: .*bad\.pth: /);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual(["bad.pth"]);
  });

  it.skipIf(!HAS_FIXTURES)("rejects an even window and an unknown strategy", async () => {
    const out = join(scratch(), "o.safetensors");
    const even = await cli("inflate", fixture("vit2d.safetensors"), "-o", out, "--window", "4");
    expect(even.code).toBe(2);
    expect(even.stderr).toMatch(/window/);
    const typo = await cli("inflate", fixture("vit2d.safetensors"), "-o", out, "--strategy", "centre");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/did you mean "center"/);
    expect(existsSync(out)).toBe(false);
  });

  it("requires -o", async () => {
    const r = await cli("inflate", "x.pth");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing --output/);
  });
});
