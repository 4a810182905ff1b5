import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { readSafetensors, toFloat32 } from "@transseg/weights";
import { createOnnxSession } from "@transseg/onnx";
import { describe, expect, it } from "vitest";
import { cli, fixture, HAS_FIXTURES, scratch } from "../test-helpers.js";

describe.skipIf(!HAS_FIXTURES)("transseg export", () => {
  for (const kind of ["beit", "vit"]) {
    it(`${kind}: the ONNX file reproduces the PyTorch logits of seg_${kind}_io within 1e-4`, async () => {
      const dir = scratch();
      const out = join(dir, "model.onnx");
      const r = await cli("export", "--checkpoint", fixture(`seg_${kind}.safetensors`), "--onnx", out, "--quiet");
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/model\.onnx: [\d.]+ MB, matches TensorFlow\.js within .* of the largest logit/);
      expect(readdirSync(dir)).toEqual(["model.onnx"]);
      const io = readSafetensors(fixture(`seg_${kind}_io.safetensors`)).tensors;
      const input = io.get("input")!;
      const expected = toFloat32(io.get("logits")!);
      const session = await createOnnxSession(out);
      try {
        const { logits } = await session.run(toFloat32(input), input.shape);
        let diff = 0;
        let scale = 0;
        for (let i = 0; i < expected.length; i++) {
          diff = Math.max(diff, Math.abs(logits[i]! - expected[i]!));
          scale = Math.max(scale, Math.abs(expected[i]!));
        }
        expect(diff / scale).toBeLessThanOrEqual(1e-4);
      } finally {
        await session.release();
      }
    });
  }

  it("--relative-bias precomputed gives a larger file than gather; a bad mode or file exits 2", async () => {
    const dir = scratch();
    const a = join(dir, "a.onnx");
    const b = join(dir, "b.onnx");
    expect((await cli("export", "--checkpoint", fixture("seg_beit.safetensors"), "--onnx", a, "--quiet")).code).toBe(0);
    expect((await cli("export", "--checkpoint", fixture("seg_beit.safetensors"), "--onnx", b, "--relative-bias", "precomputed", "--quiet")).code).toBe(0);
    expect(statSync(b).size).toBeGreaterThan(statSync(a).size);
    const bad = await cli("export", "--checkpoint", fixture("seg_beit.safetensors"), "--onnx", join(dir, "c.onnx"), "--relative-bias", "gathr");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/did you mean "gather"/);
    const missing = await cli("export", "--checkpoint", fixture("beit2d.safetensors"), "--onnx", join(dir, "d.onnx"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/beit2d\.safetensors: .*transseg/);
    expect(existsSync(join(dir, "c.onnx")) || existsSync(join(dir, "d.onnx"))).toBe(false);
  });
});
