import { f32Entry, type TensorEntry } from "@transseg/weights";
import { describe, expect, it } from "vitest";
import { inflateCheckpoint } from "./inflate-checkpoint.js";
import { randomFloat32 } from "./testing/random.js";

/** A ViT-B/16 (86 M parameters) or BEiT-B/16 state dict at 224 px: computed tensors in memory, the rest lazy and unreadable. */
function base16(kind: "vit" | "beit"): { map: Map<string, TensorEntry>; params: number } {
  const map = new Map<string, TensorEntry>();
  let params = 0;
  const lazy = (name: string, shape: number[]) => {
    params += shape.reduce((a, b) => a * b, 1);
    map.set(name, { dtype: "F32", shape, read: () => { throw new Error(`${name} was read`); } });
  };
  const real = (name: string, shape: number[]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    params += n;
    map.set(name, f32Entry(shape, randomFloat32(n, params)));
  };
  const d = 768;
  lazy("cls_token", [1, 1, d]);
  real("patch_embed.proj.weight", [d, 3, 16, 16]);
  lazy("patch_embed.proj.bias", [d]);
  if (kind === "vit") real("pos_embed", [1, 197, d]);
  for (let b = 0; b < 12; b++) {
    const p = `blocks.${b}.`;
    for (const n of ["norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias", "attn.proj.bias", "mlp.fc2.bias"]) lazy(p + n, [d]);
    lazy(`${p}attn.qkv.weight`, [3 * d, d]);
    lazy(`${p}attn.proj.weight`, [d, d]);
    lazy(`${p}mlp.fc1.weight`, [4 * d, d]);
    lazy(`${p}mlp.fc1.bias`, [4 * d]);
    lazy(`${p}mlp.fc2.weight`, [d, 4 * d]);
    if (kind === "vit") lazy(`${p}attn.qkv.bias`, [3 * d]);
    else {
      for (const n of ["attn.q_bias", "attn.v_bias", "gamma_1", "gamma_2"]) lazy(p + n, [d]);
      real(`${p}attn.relative_position_bias_table`, [27 * 27 + 3, 12]);
    }
  }
  lazy("norm.weight", [d]);
  lazy("norm.bias", [d]);
  lazy("head.weight", [1000, d]);
  lazy("head.bias", [1000]);
  return { map, params };
}

describe("inflateCheckpoint on base/16 models (224 -> 512 px, window 5): speed is benchmarked by transseg-bench perf", () => {
  for (const kind of ["vit", "beit"] as const) {
    it(`${kind}-B: pass-through tensors are never read`, () => {
      const { map, params } = base16(kind);
      expect(params).toBeGreaterThan(85e6);
      const { tensors, report } = inflateCheckpoint(map, { img: [512, 512] });
      expect(tensors.get("patch_embed.proj.weight")!.shape).toEqual([768, 1, 5, 16, 16]);
      expect(report.changed.length).toBe(kind === "vit" ? 2 : 13);
    });
  }
});
