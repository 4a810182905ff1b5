import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readNifti } from "@transseg/datasets";
import { describe, expect, it, vi } from "vitest";
import { cli, fixture, HAS_FIXTURES, scratch } from "../test-helpers.js";

/** The options each ONNX Runtime session of these runs was created with (the real sessions run). */
const sessionOptions = vi.hoisted(() => [] as unknown[]);
vi.mock("@transseg/onnx", async (importOriginal) => {
  const onnx = await importOriginal<typeof import("@transseg/onnx")>();
  return {
    ...onnx,
    createOnnxSession: (model: Parameters<typeof onnx.createOnnxSession>[0], options?: Parameters<typeof onnx.createOnnxSession>[1]) => {
      sessionOptions.push(options);
      return onnx.createOnnxSession(model, options);
    },
  };
});

describe.skipIf(!HAS_FIXTURES)("transseg predict", () => {
  for (const [kind, engine] of [["beit", "tfjs"], ["vit", "tfjs"], ["beit", "onnx"], ["vit", "onnx"]] as const) {
    it(`--engine ${engine} reproduces volume_${kind}_pred.nii.gz (≥ 99.5 % of voxels) with the input's affine`, async () => {
      const out = join(scratch(), "pred.nii.gz");
      const probs = join(scratch(), "probs.nii.gz");
      const backend = engine === "tfjs" ? ["--backend", "wasm"] : [];
      const r = await cli("predict", "--checkpoint", fixture(`seg_${kind}.safetensors`), "--input", fixture(`volume_${kind}.nii.gz`), "--output", out, "--engine", engine, ...backend, "--threads", "1", "--probabilities", probs, "--quiet");
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${out}\n`);
      const [pred, expected, input, p] = await Promise.all([readNifti(out), readNifti(fixture(`volume_${kind}_pred.nii.gz`)), readNifti(fixture(`volume_${kind}.nii.gz`)), readNifti(probs)]);
      expect(pred.datatype).toBe("uint8");
      expect(pred.affine).toEqual(input.affine);
      let same = 0;
      for (let i = 0; i < pred.data.length; i++) if (pred.data[i] === expected.data[i]) same++;
      expect(same / pred.data.length).toBeGreaterThanOrEqual(0.995);
      expect(p.shape).toEqual([64, 64, 9, 3]);
    });
  }

  it("processes a folder into a folder", async () => {
    const out = join(scratch(), "out");
    const r = await cli("predict", "--checkpoint", fixture("seg_vit.safetensors"), "--input", join(fixture("."), "..", "fixtures"), "--output", out, "--backend", "cpu", "--clip=-175,250", "--quiet");
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(readdirSync(fixture(".")).filter((f) => /\.nii(\.gz)?$/.test(f)).sort());
  }, 120_000);

  it("bad input: missing checkpoint file, unknown backend", async () => {
    const out = join(scratch(), "p.nii.gz");
    const missing = await cli("predict", "--checkpoint", "/nonexistent.safetensors", "--input", fixture("volume_vit.nii.gz"), "--output", out, "--backend", "cpu", "--quiet");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nonexistent\.safetensors: no such file/);
    const backend = await cli("predict", "--checkpoint", fixture("seg_vit.safetensors"), "--input", fixture("volume_vit.nii.gz"), "--output", out, "--engine", "tfjs", "--backend", "wsam");
    expect(backend.code).toBe(2);
    expect(backend.stderr).toMatch(/did you mean "wasm"/);
    const cuda = await cli("predict", "--checkpoint", fixture("seg_vit.safetensors"), "--input", fixture("volume_vit.nii.gz"), "--output", out, "--engine", "onnx", "--device", "cuda");
    expect(cuda.code).toBe(2);
    expect(cuda.stderr).toMatch(/^transseg: CUDA is unavailable: .*ONNXRUNTIME_NODE_INSTALL=cuda12/);
    const lowMemory = await cli("predict", "--checkpoint", fixture("seg_vit.safetensors"), "--input", fixture("volume_vit.nii.gz"), "--output", out, "--engine", "tfjs", "--low-memory");
    expect(lowMemory.code).toBe(2);
    expect(lowMemory.stderr).toBe("transseg: --low-memory applies to --engine onnx (ONNX Runtime's memory arena)\n");
    expect(existsSync(out)).toBe(false);
  });

  it("--low-memory (ONNX Runtime without its memory arena): the same labels", async () => {
    const run = async (...extra: string[]) => {
      const out = join(scratch(), "pred.nii.gz");
      const r = await cli("predict", "--checkpoint", fixture("seg_beit.safetensors"), "--input", fixture("volume_beit.nii.gz"), "--output", out, "--engine", "onnx", "--threads", "1", "--quiet", ...extra);
      expect(r.code).toBe(0);
      return Array.from((await readNifti(out)).data);
    };
    sessionOptions.length = 0;
    expect(await run("--low-memory")).toEqual(await run());
    // the flag reaches the session: arena off with it, the default without
    expect(sessionOptions.map((o) => (o as { memoryArena?: boolean }).memoryArena)).toEqual([false, undefined]);
  });
});
