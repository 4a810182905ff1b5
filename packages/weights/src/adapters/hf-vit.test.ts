/** HF ViT: the fixture's tensors renamed (and qkv split) the way transformers stores them, then mapped back. */
import { describe, expect, it } from "vitest";
import { type TensorEntry, type TensorMap } from "../tensor.js";
import { testAdapter } from "../testing/index.js";
import { fixture, noFixtures, ramp, rows } from "./fixture-maps.test-helper.js";
import { hfVitAdapter } from "./hf-vit.js";

/** The inverse of the adapter's mapping: canonical timm names -> transformers ViT names. */
function toHfVit(map: TensorMap, prefix: string): Map<string, TensorEntry> {
  const out = new Map<string, TensorEntry>();
  const simple: Record<string, string> = {
    cls_token: "embeddings.cls_token",
    pos_embed: "embeddings.position_embeddings",
    "patch_embed.proj.weight": "embeddings.patch_embeddings.projection.weight",
    "patch_embed.proj.bias": "embeddings.patch_embeddings.projection.bias",
    "norm.weight": "layernorm.weight",
    "norm.bias": "layernorm.bias",
  };
  const layer: Record<string, string> = { norm1: "layernorm_before", norm2: "layernorm_after", "attn.proj": "attention.output.dense", "mlp.fc1": "intermediate.dense", "mlp.fc2": "output.dense" };
  for (const [k, e] of map) {
    if (k.startsWith("head.")) { out.set(k.replace("head.", "classifier."), e); continue; }
    if (simple[k]) { out.set(prefix + simple[k], e); continue; }
    const m = /^blocks\.(\d+)\.(.+)\.(weight|bias)$/.exec(k)!;
    const [, n, mod, p] = m as unknown as [string, string, string, string];
    if (mod === "attn.qkv") {
      const d = e.shape[0]! / 3;
      ["query", "key", "value"].forEach((q, i) => out.set(`${prefix}encoder.layer.${n}.attention.attention.${q}.${p}`, rows(e, i * d, d)));
    } else out.set(`${prefix}encoder.layer.${n}.${layer[mod]}.${p}`, e);
  }
  return out;
}

const vit2d = fixture("vit2d.safetensors");
const skip = noFixtures ? { skip: noFixtures } : {};

// ViTForImageClassification: vit. prefix + classifier
const withHead = new Map(vit2d);
withHead.set("head.weight", ramp([10, 64]));
withHead.set("head.bias", ramp([10]));
testAdapter(hfVitAdapter, { name: "ViTForImageClassification from fixtures/vit2d (vit. prefix)", source: toHfVit(withHead, "vit."), expected: withHead, ...skip });

// ViTModel: no prefix, with the pooler (dropped)
const model = toHfVit(vit2d, "");
model.set("pooler.dense.weight", ramp([64, 64]));
model.set("pooler.dense.bias", ramp([64]));
testAdapter(hfVitAdapter, { name: "ViTModel from fixtures/vit2d (no prefix, pooler dropped)", source: model, expected: vit2d, ...skip });

describe("hf-vit", () => {
  it("fuses q, k, v in that order", () => {
    const map = new Map<string, TensorEntry>([
      ["embeddings.patch_embeddings.projection.weight", ramp([2, 1, 1, 1])],
      ["encoder.layer.0.attention.attention.query.weight", ramp([2, 2], 0, 1)],
      ["encoder.layer.0.attention.attention.key.weight", ramp([2, 2], 0, 2)],
      ["encoder.layer.0.attention.attention.value.weight", ramp([2, 2], 0, 3)],
      ["encoder.layer.0.attention.attention.query.bias", ramp([2], 0, 1)],
      ["encoder.layer.0.attention.attention.key.bias", ramp([2], 0, 2)],
      ["encoder.layer.0.attention.attention.value.bias", ramp([2], 0, 3)],
    ]);
    const out = hfVitAdapter.toCanonical(map);
    expect(out.get("blocks.0.attn.qkv.weight")!.shape).toEqual([6, 2]);
    expect([...out.get("blocks.0.attn.qkv.weight")!.read()]).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
    expect([...out.get("blocks.0.attn.qkv.bias")!.read()]).toEqual([1, 1, 2, 2, 3, 3]);
    map.delete("encoder.layer.0.attention.attention.key.weight");
    expect(() => hfVitAdapter.toCanonical(map)).toThrow(/blocks\.0\.attn\.qkv\.weight needs 3 parts but part\(s\) 1 are missing/);
  });
});
