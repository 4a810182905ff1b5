/** HF BEiT: the fixture's tensors renamed (qkv split, q/v biases, lambdas) the way transformers stores them, then mapped back. */
import { describe, expect, it } from "vitest";
import { tensorEntry, type TensorEntry, type TensorMap } from "../tensor.js";
import { testAdapter } from "../testing/index.js";
import { fixture, noFixtures, ramp, rows } from "./fixture-maps.test-helper.js";
import { hfBeitAdapter } from "./hf-beit.js";

/** The inverse of the adapter's mapping: canonical BEiT names -> transformers BEiT names. */
function toHfBeit(map: TensorMap, prefix: string): Map<string, TensorEntry> {
  const out = new Map<string, TensorEntry>();
  const simple: Record<string, string> = {
    cls_token: "embeddings.cls_token",
    "patch_embed.proj.weight": "embeddings.patch_embeddings.projection.weight",
    "patch_embed.proj.bias": "embeddings.patch_embeddings.projection.bias",
    "fc_norm.weight": "pooler.layernorm.weight",
    "fc_norm.bias": "pooler.layernorm.bias",
    "rel_pos_bias.relative_position_bias_table": "encoder.relative_position_bias.relative_position_bias_table",
  };
  const layer: Record<string, string> = {
    "norm1.weight": "layernorm_before.weight", "norm1.bias": "layernorm_before.bias",
    "norm2.weight": "layernorm_after.weight", "norm2.bias": "layernorm_after.bias",
    "attn.proj.weight": "attention.output.dense.weight", "attn.proj.bias": "attention.output.dense.bias",
    "mlp.fc1.weight": "intermediate.dense.weight", "mlp.fc1.bias": "intermediate.dense.bias",
    "mlp.fc2.weight": "output.dense.weight", "mlp.fc2.bias": "output.dense.bias",
    "attn.q_bias": "attention.attention.query.bias", "attn.v_bias": "attention.attention.value.bias",
    "attn.relative_position_bias_table": "attention.attention.relative_position_bias.relative_position_bias_table",
    gamma_1: "lambda_1", gamma_2: "lambda_2",
  };
  for (const [k, e] of map) {
    if (k.startsWith("head.")) { out.set(k.replace("head.", "classifier."), e); continue; }
    if (simple[k]) { out.set(prefix + simple[k], e); continue; }
    const [, n, rest] = /^blocks\.(\d+)\.(.+)$/.exec(k) as unknown as [string, string, string];
    if (rest === "attn.qkv.weight") {
      const d = e.shape[0]! / 3;
      ["query", "key", "value"].forEach((q, i) => out.set(`${prefix}encoder.layer.${n}.attention.attention.${q}.weight`, rows(e, i * d, d)));
    } else out.set(`${prefix}encoder.layer.${n}.${layer[rest]}`, e);
  }
  return out;
}

const beit2d = fixture("beit2d.safetensors");
const skip = noFixtures ? { skip: noFixtures } : {};
const index = () => tensorEntry("I64", [3], BigInt64Array.from([0n, 1n, 2n]));

// BeitForImageClassification: beit. prefix, per-layer tables (+ index buffers, dropped), pooler layernorm, classifier
const cls = new Map(beit2d);
cls.set("fc_norm.weight", ramp([64], 0.01, 1));
cls.set("fc_norm.bias", ramp([64]));
cls.set("head.weight", ramp([5, 64]));
cls.set("head.bias", ramp([5]));
const clsHf = toHfBeit(cls, "beit.");
for (const k of [...clsHf.keys()]) if (k.endsWith("relative_position_bias_table")) clsHf.set(k.replace("_bias_table", "_index"), index());
clsHf.set("beit.embeddings.mask_token", ramp([1, 1, 64]));
testAdapter(hfBeitAdapter, { name: "BeitForImageClassification from fixtures/beit2d (beit. prefix)", source: clsHf, expected: cls, ...skip });

// BeitModel without prefix and a shared relative position bias (use_shared_relative_position_bias)
const shared = new Map([...beit2d].filter(([k]) => !k.endsWith("relative_position_bias_table")));
if (beit2d.size) shared.set("rel_pos_bias.relative_position_bias_table", beit2d.get("blocks.0.attn.relative_position_bias_table")!);
const sharedHf = toHfBeit(shared, "");
sharedHf.set("encoder.relative_position_bias.relative_position_index", index());
testAdapter(hfBeitAdapter, { name: "BeitModel from fixtures/beit2d (no prefix, shared relative position bias)", source: sharedHf, expected: shared, ...skip });

describe("hf-beit", () => {
  it("refuses a key bias (BEiT's key projection has none)", () => {
    const map = new Map<string, TensorEntry>([
      ["beit.embeddings.patch_embeddings.projection.weight", ramp([2, 1, 1, 1])],
      ["beit.encoder.layer.0.attention.attention.query.weight", ramp([2, 2])],
      ["beit.encoder.layer.0.attention.attention.key.bias", ramp([2])],
    ]);
    expect(hfBeitAdapter.detect([...map.keys()])).toBe(false);
    expect(() => hfBeitAdapter.toCanonical(map)).toThrow(/hf-beit layout: cannot map beit\.encoder\.layer\.0\.attention\.attention\.key\.bias/);
  });
});
