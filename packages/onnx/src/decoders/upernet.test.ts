import { describe, expect, it } from "vitest";
import type { OnnxDecoder } from "../decoder.js";
import { checkOnnxDecoder } from "../testing/index.js";
import { upernetOnnxDecoder } from "./upernet.js";

const config = { encoder: { kind: "vit", dim: 16, depth: 2, heads: 2, img: [64, 32] as const, window: 3 }, decoder: { kind: "upernet", channels: 8, layer_idxs: [1, 0, 1, 0] }, classes: 4 };

describe("upernet ONNX decoder", () => {
  it("passes the conformance check", async () => {
    await checkOnnxDecoder(upernetOnnxDecoder, config);
  });

  it("the check catches a decoder that declares a tensor it never reads", async () => {
    const sloppy = { ...upernetOnnxDecoder, tensors: (ctx) => [...upernetOnnxDecoder.tensors(ctx as Parameters<typeof upernetOnnxDecoder.tensors>[0]), { name: "decoder.extra", shape: [2] }] } satisfies OnnxDecoder;
    await expect(checkOnnxDecoder(sloppy, config)).rejects.toThrow('decoder "upernet" declares tensors that build() never reads: decoder.extra');
  });

  it("validates its options", () => {
    const enc = { kind: "vit", dim: 16, depth: 2, heads: 2, mlp_ratio: 4, patch: 16, window: 3, patch_depth: 3, force_2d: false, in_channels: 1, img: [64, 64] as const };
    expect(() => upernetOnnxDecoder.normalize({ kind: "upernet", layer_idxs: [0, 1, 2] }, enc)).toThrow("decoder.layer_idxs must list 4 blocks for upernet (got 3)");
    expect(() => upernetOnnxDecoder.normalize({ kind: "upernet", layer_idxs: [0, 1, 1, 5] }, enc)).toThrow("decoder.layer_idxs has block 5 but the encoder has 2 blocks");
    expect(upernetOnnxDecoder.normalize({ kind: "upernet", layer_idxs: [0, 1, 1, 1] }, { ...enc, img: [48, 80] })).toMatchObject({ kind: "upernet" }); // odd grids: 3x5
    expect(() => upernetOnnxDecoder.normalize({ kind: "upernet", layer_idxs: [0, 1, 1, 1] }, { ...enc, img: [16, 64] })).toThrow("the smallest img that works is 32x64");
    expect(upernetOnnxDecoder.normalize({ kind: "upernet", layer_idxs: [0, 1, 1, 1] }, enc)).toMatchObject({ channels: 16, pool_scales: [1, 2, 3, 6] });
  });
});
