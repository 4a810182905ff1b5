import { builtinDecoderSpecs, encoderGrid, normalizeEncoderConfig, type DecoderConfig, type DecoderSpec, type EncoderConfigInput } from "@transseg/model";
import { describe, expect, it } from "vitest";
import type { OnnxDecoder } from "../decoder.js";
import { builtinOnnxDecoders } from "./registry.js";

const vit = { kind: "vit", dim: 16, depth: 3, heads: 2 };
const cases: [string, EncoderConfigInput, DecoderConfig][] = [
  ["upernet", { ...vit, img: [48, 80], window: 3 }, { kind: "upernet", channels: 8, layer_idxs: [0, 1, 2, 2] }],
  ["upernet", { ...vit, img: [32, 32], patch: 8, window: 5 }, { kind: "upernet", layer_idxs: [2, 1, 0, 2], pool_scales: [1, 3] }],
  ["setr-pup", { ...vit, img: [48, 80], window: 3 }, { kind: "setr-pup" }],
  ["convtrans", { ...vit, img: [32, 48], patch: 8, window: 3 }, { kind: "convtrans" }],
  ["unetr", { ...vit, img: [32, 32], window: 9, patch_depth: 3 }, { kind: "unetr", feature_size: 4 }],
  ["unetr", { ...vit, img: [32, 48], patch: 8, window: 3, patch_depth: 1 }, { kind: "unetr" }],
];

describe("ONNX decoders read the tensors of the engine-free DecoderSpec (the list TensorFlow.js trains)", () => {
  it("every built-in head exports", () => {
    expect(Object.keys(builtinOnnxDecoders).sort()).toEqual(Object.keys(builtinDecoderSpecs).sort());
  });

  for (const [id, encoderInput, decoderInput] of cases) {
    it(`${id} on img ${encoderInput.img.join("x")}, patch ${encoderInput.patch ?? 16}: same names, shapes, blocks and defaults`, () => {
      const encoder = normalizeEncoderConfig(encoderInput);
      const spec: DecoderSpec = builtinDecoderSpecs[id as keyof typeof builtinDecoderSpecs];
      const onnx: OnnxDecoder = builtinOnnxDecoders[id as keyof typeof builtinOnnxDecoders];
      const config = spec.normalize(decoderInput, encoder);
      expect(onnx.normalize(decoderInput, encoder)).toEqual(config);
      const [, gh, gw] = encoderGrid(encoder);
      const ctx = { encoder, config, classes: 3, grid: [gh, gw] as const };
      const expected = spec.params(ctx).map((p) => [`decoder.${p.name}`, [...p.shape]] as const);
      const actual = onnx.tensors(ctx).map((t) => [t.name, [...t.shape]] as const);
      expect(new Map(actual)).toEqual(new Map(expected));
      expect(actual).toHaveLength(expected.length);
      expect([...onnx.layers(config, encoder)]).toEqual(spec.layers(ctx));
      expect(onnx.volumetric ?? false).toBe(spec.volumetric ?? false);
    });
  }
});
