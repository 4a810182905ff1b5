import { readSafetensors, toFloat32 } from "@transseg/weights";
import { describe, expect, it } from "vitest";
import { relativeMaxError } from "@transseg/model/testing";
import type { RelativeBiasMode } from "./encoder-graph.js";
import { exportOnnx } from "./export.js";
import { createOnnxSession } from "./session.js";

// Configurations beyond the shared fixtures, against the PyTorch reference: files written by
// test-data/onnx/gen_onnx_reference.py (Gd = 3 BEiT with random 3D relative position tables;
// force_2d ViT on a non-square 64x96 image). Tolerance: 1e-4 of the largest logit magnitude.
const dir = new URL("../test-data/onnx/", import.meta.url).pathname;

for (const name of ["gd3_beit", "force2d_vit"]) {
  describe(`${name} against the PyTorch reference`, () => {
    const variants: readonly { opset: number; relativeBias: RelativeBiasMode }[] = [
      { opset: 17, relativeBias: "precomputed" },
      { opset: 13, relativeBias: "precomputed" },
      ...(name.includes("beit") ? [{ opset: 17, relativeBias: "gather" as const }] : []),
    ];
    for (const { opset, relativeBias } of variants) {
      it(`opset ${opset}, relative bias ${relativeBias}`, async () => {
        const io = readSafetensors(`${dir}${name}_io.safetensors`).tensors;
        const session = await createOnnxSession(exportOnnx(readSafetensors(`${dir}${name}.safetensors`), { opset, relativeBias }), { threads: 2 });
        const x = io.get("input")!;
        const out = await session.run(toFloat32(x), x.shape);
        expect(out.shape).toEqual(io.get("logits")!.shape);
        expect(relativeMaxError(out.logits, toFloat32(io.get("logits")!))).toBeLessThan(1e-4);
        await session.release();
      });
    }
  });
}
