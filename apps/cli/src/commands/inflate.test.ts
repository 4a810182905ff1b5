import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
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

describe("transseg inflate --plugin", () => {
  const plugin = (name: string) => resolve(import.meta.dirname, "../../test-plugins", name);

  it.skipIf(!HAS_FIXTURES)("a plugin's strategy inflates like a built-in one, its name and hash said on stderr", async () => {
    const out = join(scratch(), "tri.safetensors");
    const r = await cli("inflate", fixture("vit2d.safetensors"), "-o", out, "--img", "64x64", "--plugin", plugin("triangle.ts"), "--strategy", "triangle");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^plugin triangle\.ts \(sha256 [0-9a-f]{12}…\): inflation strategy triangle\n/);
    const meta = JSON.parse(readSafetensors(out).metadata.transseg_inflation!);
    expect(meta).toMatchObject({ strategy: "triangle", window: 5 });
    // K = 5: depth k holds w_k × the (channel-summed) 2D kernel, w ∝ 3, 4, 5, 4, 3
    const k3 = readSafetensors(out).tensors.get("patch_embed.proj.weight")!;
    const [O, C, K, P, Q] = k3.shape as number[];
    expect(K).toBe(5);
    const v = toFloat32(k3);
    const plane = P! * Q!;
    for (const pair of [0, O! * C! - 1]) {
      const at = (k: number, i: number) => v[(pair * K! + k) * plane + i]!;
      for (const i of [0, 7, plane - 1]) {
        expect(at(2, i)).toBeCloseTo((5 / 3) * at(0, i), 6);
        expect(at(3, i)).toBeCloseTo((4 / 3) * at(4, i), 6);
      }
    }
  });

  it.skipIf(!HAS_FIXTURES)("TRANSSEG_PLUGINS names plugins for scripts; without the plugin the id is unknown", async () => {
    const out = join(scratch(), "env.safetensors");
    process.env.TRANSSEG_PLUGINS = plugin("triangle.ts");
    try {
      expect((await cli("inflate", fixture("vit2d.safetensors"), "-o", out, "--img", "64x64", "--strategy", "triangle", "--quiet")).code).toBe(0);
    } finally {
      delete process.env.TRANSSEG_PLUGINS;
    }
    const r = await cli("inflate", fixture("vit2d.safetensors"), "-o", join(scratch(), "x.safetensors"), "--strategy", "triangle");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown inflation strategy "triangle".*known: center, average, repeat, gaussian\)/);
  });

  it("refuses a strategy that modifies its input and a module that exports nothing usable: exit 2, one line, nothing written", async () => {
    const dir = scratch();
    const out = join(dir, "o.safetensors");
    const bad = await cli("inflate", "whatever.pth", "-o", out, "--plugin", plugin("mutating-strategy.ts"), "--strategy", "halve");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^transseg: plugin .*mutating-strategy\.ts: export "halve": inflation strategy "halve" fails its conformance rules: input untouched: K=1: inflate modified its input kernel at 0 /);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    const empty = await cli("inflate", "whatever.pth", "-o", out, "--plugin", plugin("nothing.ts"));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^transseg: plugin .*nothing\.ts: exports nothing usable: no export is an inflation strategy \(inflate\), .*; its exports: VERSION, helper, settings\n$/);
    const clash = await cli("inflate", "whatever.pth", "-o", out, "--plugin", plugin("builtin-clash.ts"));
    expect(clash.stderr).toMatch(/export "center": inflation strategy id "center" is built in/);
    expect(existsSync(out)).toBe(false);
  });
});
