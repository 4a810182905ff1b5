import { describe, expect, it } from "vitest";
import { testAdapter } from "../testing/index.js";
import { f32Entry, type TensorEntry } from "../tensor.js";
import { fixture, noFixtures, ramp } from "./fixture-maps.test-helper.js";
import { timmVitAdapter } from "./timm-vit.js";

const vit2d = fixture("vit2d.safetensors");
testAdapter(timmVitAdapter, { name: "fixtures/vit2d (identity)", source: vit2d, expected: vit2d, ...(noFixtures ? { skip: noFixtures } : {}) });

// DeiT distilled (dist_token, head_dist) with timm LayerScale (ls1 / ls2)
const deit = new Map<string, TensorEntry>([
  ["cls_token", ramp([1, 1, 4])],
  ["dist_token", ramp([1, 1, 4], 0.1)],
  ["pos_embed", ramp([1, 6, 4])],
  ["patch_embed.proj.weight", ramp([4, 3, 2, 2])],
  ["blocks.0.attn.qkv.weight", ramp([12, 4])],
  ["blocks.0.attn.qkv.bias", ramp([12])],
  ["blocks.0.ls1.gamma", ramp([4], 1)],
  ["blocks.0.ls2.gamma", ramp([4], 2)],
  ["head.weight", ramp([5, 4])],
  ["head_dist.weight", ramp([5, 4], 0.5)],
]);
const deitCanonical = new Map([...deit].map(([k, e]) => [k.replace(/\.ls([12])\.gamma$/, ".gamma_$1"), e]));
testAdapter(timmVitAdapter, { name: "DeiT distilled with LayerScale", source: deit, expected: deitCanonical });

describe("timm-vit", () => {
  it("does not claim BEiT checkpoints", () => {
    expect(timmVitAdapter.detect(["blocks.0.attn.qkv.weight", "blocks.0.attn.q_bias"])).toBe(false);
    expect(timmVitAdapter.detect(["blocks.0.attn.qkv.weight", "blocks.0.gamma_1"])).toBe(false);
    expect(timmVitAdapter.detect(["blocks.0.attn.qkv.weight", "norm.weight"])).toBe(true);
    expect(timmVitAdapter.toCanonical(new Map([["norm.weight", f32Entry([1], new Float32Array(1))]])).has("norm.weight")).toBe(true);
  });
});
