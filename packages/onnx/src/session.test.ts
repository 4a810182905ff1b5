import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readSafetensors } from "@transseg/weights";
import * as ort from "onnxruntime-node";
import { describe, expect, it, vi } from "vitest";
import { exportOnnx, writeOnnx } from "./export.js";
import { createOnnxSession } from "./session.js";

const model = () => exportOnnx(readSafetensors(new URL("../test-data/onnx/force2d_vit.safetensors", import.meta.url).pathname));
const ortBin = join(dirname(createRequire(import.meta.url).resolve("onnxruntime-node")), "..", "bin", "napi-v6", process.platform, process.arch);
const HAVE_CUDA_EP = existsSync(join(ortBin, "libonnxruntime_providers_cuda.so"));

describe("createOnnxSession", () => {
  it("uses every core by default and reports the shapes", async () => {
    const s = await createOnnxSession(model());
    expect(s.threads).toBe(availableParallelism());
    expect(s.device).toBe("cpu");
    expect(s.inputShape).toEqual(["batch", 1, 5, 64, 96]);
    expect(s.outputShape).toEqual(["batch", 3, 64, 96]);
    await s.release();
  });

  it("loads a file written atomically by writeOnnx", async () => {
    const dir = mkdtempSync(join(tmpdir(), "transseg-onnx-"));
    try {
      const path = join(dir, "m.onnx");
      writeOnnx(path, readSafetensors(new URL("../test-data/onnx/force2d_vit.safetensors", import.meta.url).pathname));
      const s = await createOnnxSession(path, { threads: 1 });
      const out = await s.run(new Float32Array(2 * 5 * 64 * 96), [2, 1, 5, 64, 96]);
      expect(out.shape).toEqual([2, 3, 64, 96]);
      await s.release();
      expect(() => writeOnnx(join(dir, "missing", "m.onnx"), readSafetensors(new URL("../test-data/onnx/force2d_vit.safetensors", import.meta.url).pathname))).toThrow(/missing\/m\.onnx: cannot write \(/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs without ONNX Runtime's memory arena (memoryArena: false) with the same logits", async () => {
    const input = Float32Array.from({ length: 2 * 5 * 64 * 96 }, (_, i) => Math.sin(i * 0.37));
    const create = vi.spyOn(ort.InferenceSession, "create");
    try {
      const logits = async (memoryArena?: boolean) => {
        const s = await createOnnxSession(model(), { threads: 1, ...(memoryArena === undefined ? {} : { memoryArena }) });
        const out = await s.run(input, [2, 1, 5, 64, 96]);
        await s.release();
        return out.logits;
      };
      const arena = await logits();
      expect(Array.from(await logits(false))).toEqual(Array.from(arena));
      expect(Array.from(await logits(true))).toEqual(Array.from(arena));
      // the option reaches ONNX Runtime's session options: on by default, off when asked
      const arenas = create.mock.calls.map((c) => (c[1] as ort.InferenceSession.SessionOptions).enableCpuMemArena);
      expect(arenas).toEqual([true, false, true]);
    } finally {
      create.mockRestore();
    }
  });

  it("checks input shapes", async () => {
    const s = await createOnnxSession(model(), { threads: 1 });
    await expect(s.run(new Float32Array(5 * 64 * 64), [1, 1, 5, 64, 64])).rejects.toThrow("input shape [1, 1, 5, 64, 64] does not fit the model's [batch, 1, 5, 64, 96]");
    await expect(s.run(new Float32Array(7), [1, 1, 5, 64, 96])).rejects.toThrow("input has 7 values but shape [1, 1, 5, 64, 96] needs 30720");
    await s.release();
  });

  it("rejects unknown devices and bad thread counts", async () => {
    await expect(createOnnxSession(model(), { device: "cudaa" as "cuda" })).rejects.toThrow(/unknown ONNX device "cudaa".*did you mean "cuda"/);
    await expect(createOnnxSession(model(), { threads: 0 })).rejects.toThrow("threads must be a positive integer (got 0)");
  });

  it.skipIf(HAVE_CUDA_EP)("says clearly that CUDA is unavailable and what to install", async () => {
    await expect(createOnnxSession(model(), { device: "cuda" })).rejects.toThrow(/^CUDA is unavailable: .*libonnxruntime_providers_cuda\.so.*ONNXRUNTIME_NODE_INSTALL=cuda12.*CUDA 12 and cuDNN 9/);
  });
});
