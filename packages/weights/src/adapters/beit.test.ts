import { describe, expect, it } from "vitest";
import { tensorEntry, type TensorEntry } from "../tensor.js";
import { testAdapter } from "../testing/index.js";
import { beitAdapter } from "./beit.js";
import { fixture, noFixtures, ramp } from "./fixture-maps.test-helper.js";

const index = () => tensorEntry("I64", [3], BigInt64Array.from([0n, 1n, 2n]));

// fixture + the relative_position_index buffers unilm / TransSeg checkpoints carry (dropped)
const beit2d = fixture("beit2d.safetensors");
const withIndex = new Map(beit2d);
for (const k of beit2d.keys()) if (k.endsWith("attn.relative_position_bias_table")) withIndex.set(k.replace("_bias_table", "_index"), index());
testAdapter(beitAdapter, { name: "fixtures/beit2d + relative_position_index buffers", source: withIndex, expected: beit2d, ...(noFixtures ? { skip: noFixtures } : {}) });

// a unilm pre-training checkpoint: shared rel_pos_bias, mask_token, lm_head, final norm
const shared = new Map<string, TensorEntry>([
  ["cls_token", ramp([1, 1, 4])],
  ["mask_token", ramp([1, 1, 4])],
  ["patch_embed.proj.weight", ramp([4, 3, 2, 2])],
  ["patch_embed.proj.bias", ramp([4])],
  ["rel_pos_bias.relative_position_bias_table", ramp([12, 2])],
  ["rel_pos_bias.relative_position_index", index()],
  ["blocks.0.gamma_1", ramp([4], 0.1)],
  ["blocks.0.gamma_2", ramp([4], 0.2)],
  ["blocks.0.attn.qkv.weight", ramp([12, 4])],
  ["blocks.0.attn.q_bias", ramp([4])],
  ["blocks.0.attn.v_bias", ramp([4], 0.3)],
  ["norm.weight", ramp([4])],
  ["lm_head.weight", ramp([8, 4])],
  ["lm_head.bias", ramp([8])],
]);
const sharedCanonical = new Map([...shared].filter(([k]) => !/relative_position_index|mask_token|lm_head/.test(k)));
testAdapter(beitAdapter, { name: "unilm pre-training checkpoint with a shared rel_pos_bias", source: shared, expected: sharedCanonical });

describe("beit", () => {
  it("needs a BEiT marker: a plain ViT is not BEiT", () => {
    expect(beitAdapter.detect(["blocks.0.attn.qkv.weight", "blocks.0.attn.qkv.bias"])).toBe(false);
    expect(beitAdapter.detect(["blocks.0.attn.qkv.weight", "blocks.0.attn.relative_position_bias_table"])).toBe(true);
  });
});
