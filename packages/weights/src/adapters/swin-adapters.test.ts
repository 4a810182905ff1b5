/** The Swin adapters on small in-memory maps: conformance kit, detection between the layouts, one-line errors. */
import { describe, expect, it } from "vitest";
import { LayoutError } from "../errors.js";
import type { TensorEntry, TensorMap } from "../tensor.js";
import { testAdapter } from "../testing/index.js";
import { detectLayout } from "./canonicalize.js";
import { ramp, rows } from "./fixture-maps.test-helper.js";
import { hfSwinAdapter } from "./hf-swin.js";
import { msSwinAdapter } from "./ms-swin.js";
import { inferSwinConfig } from "./swin-config.js";
import { timmSwinAdapter } from "./timm-swin.js";
import { torchvisionSwinAdapter } from "./torchvision-swin.js";
import { videoSwinAdapter } from "./video-swin.js";

/** Canonical tensors of a tiny Swin: embed 4, depths [1, 2, 1], heads [1, 2, 2], window 2 (or 3D [2, 2, 2]). */
function canonical(opts: { table?: number; kernel?: number[] } = {}): Map<string, TensorEntry> {
  const m = new Map<string, TensorEntry>();
  let k = 0;
  const put = (name: string, shape: number[]) => m.set(name, ramp(shape, 0.01, k++));
  put("patch_embed.proj.weight", opts.kernel ?? [4, 3, 4, 4]);
  put("patch_embed.proj.bias", [4]);
  put("patch_embed.norm.weight", [4]);
  put("patch_embed.norm.bias", [4]);
  const depths = [1, 2, 1];
  const heads = [1, 2, 2];
  depths.forEach((d, s) => {
    const c = 4 * 2 ** s;
    for (let b = 0; b < d; b++) {
      const at = `layers.${s}.blocks.${b}.`;
      for (const n of ["norm1", "norm2"]) { put(`${at}${n}.weight`, [c]); put(`${at}${n}.bias`, [c]); }
      put(`${at}attn.relative_position_bias_table`, [opts.table ?? 9, heads[s]!]);
      put(`${at}attn.qkv.weight`, [3 * c, c]); put(`${at}attn.qkv.bias`, [3 * c]);
      put(`${at}attn.proj.weight`, [c, c]); put(`${at}attn.proj.bias`, [c]);
      put(`${at}mlp.fc1.weight`, [4 * c, c]); put(`${at}mlp.fc1.bias`, [4 * c]);
      put(`${at}mlp.fc2.weight`, [c, 4 * c]); put(`${at}mlp.fc2.bias`, [c]);
    }
    if (s < depths.length - 1) {
      put(`layers.${s}.downsample.reduction.weight`, [2 * c, 4 * c]);
      put(`layers.${s}.downsample.norm.weight`, [4 * c]); put(`layers.${s}.downsample.norm.bias`, [4 * c]);
    }
  });
  put("norm.weight", [16]); put("norm.bias", [16]);
  put("head.weight", [5, 16]); put("head.bias", [5]);
  return m;
}

const rename = (map: TensorMap, f: (k: string) => string | null): Map<string, TensorEntry> => {
  const out = new Map<string, TensorEntry>();
  for (const [k, e] of map) { const to = f(k); if (to !== null) out.set(to, e); }
  return out;
};
const index = ramp([4, 4]);
const canon = canonical();

const ms = new Map(canon);
ms.set("layers.0.blocks.0.attn.relative_position_index", index);
ms.set("layers.1.blocks.1.attn_mask", ramp([1, 4, 4]));
testAdapter(msSwinAdapter, { name: "Microsoft (index and mask buffers dropped)", source: ms, expected: canon });

const timm = rename(canon, (k) => k.replace(/^layers\.(\d+)\.downsample/, (_, s) => `layers.${Number(s) + 1}.downsample`).replace(/^head\./, "head.fc."));
testAdapter(timmSwinAdapter, { name: "timm >= 0.9 (downsample at the start of the next stage, head.fc)", source: timm, expected: canon });

function toHf(prefix: string): Map<string, TensorEntry> {
  const out = new Map<string, TensorEntry>();
  const blk: Record<string, string> = { norm1: "layernorm_before", norm2: "layernorm_after", "attn.proj": "attention.output.dense", "mlp.fc1": "intermediate.dense", "mlp.fc2": "output.dense" };
  for (const [k, e] of canon) {
    const top: Record<string, string> = { "patch_embed.proj": "embeddings.patch_embeddings.projection", "patch_embed.norm": "embeddings.norm", norm: "layernorm" };
    const [mod, p] = [k.slice(0, k.lastIndexOf(".")), k.slice(k.lastIndexOf(".") + 1)];
    if (top[mod]) out.set(`${prefix}${top[mod]}.${p}`, e);
    else if (mod === "head") { if (prefix) out.set(`classifier.${p}`, e); }
    else if (k.includes(".downsample.")) out.set(`${prefix}encoder.${k}`, e);
    else {
      const m = /^layers\.(\d+)\.blocks\.(\d+)\.(.+)$/.exec(k)!;
      const at = `${prefix}encoder.layers.${m[1]}.blocks.${m[2]}.`;
      if (m[3] === "attn.relative_position_bias_table") out.set(`${at}attention.self.relative_position_bias_table`, e);
      else if (m[3]!.startsWith("attn.qkv.")) ["query", "key", "value"].forEach((q, i) => out.set(`${at}attention.self.${q}.${p}`, rows(e, (i * e.shape[0]!) / 3, e.shape[0]! / 3)));
      else out.set(`${at}${blk[m[3]!.slice(0, m[3]!.lastIndexOf("."))]}.${p}`, e);
    }
  }
  return out;
}
testAdapter(hfSwinAdapter, { name: "SwinForImageClassification (swin. prefix, classifier)", source: toHf("swin."), expected: canon });
const hfModel = toHf("");
hfModel.set("embeddings.mask_token", ramp([1, 1, 4]));
hfModel.set("encoder.layers.0.blocks.0.attention.self.relative_position_index", index);
testAdapter(hfSwinAdapter, { name: "SwinModel (no prefix, mask token and index dropped)", source: hfModel, expected: new Map([...canon].filter(([k]) => !k.startsWith("head."))) });

const tv = rename(canon, (k) => {
  const stem: Record<string, string> = { "patch_embed.proj": "features.0.0", "patch_embed.norm": "features.0.2" };
  const mod = k.slice(0, k.lastIndexOf("."));
  if (stem[mod]) return `${stem[mod]}${k.slice(mod.length)}`;
  const d = /^layers\.(\d+)\.downsample\.(.+)$/.exec(k);
  if (d) return `features.${2 * Number(d[1]) + 2}.${d[2]}`;
  const b = /^layers\.(\d+)\.blocks\.(\d+)\.(.+)$/.exec(k);
  if (b) return `features.${2 * Number(b[1]) + 1}.${b[2]}.${b[3]!.replace("mlp.fc1", "mlp.0").replace("mlp.fc2", "mlp.3")}`;
  return k;
});
tv.set("features.1.0.attn.relative_position_index", ramp([16]));
testAdapter(torchvisionSwinAdapter, { name: "torchvision swin_t-style (features.K.M)", source: tv, expected: canon });

const canon3d = canonical({ table: 27, kernel: [4, 3, 2, 4, 4] });
const video = rename(canon3d, (k) => (k.startsWith("head.") ? `cls_head.fc_cls.${k.slice(5)}` : `backbone.${k}`));
video.set("backbone.layers.0.blocks.0.attn.relative_position_index", ramp([8, 8]));
testAdapter(videoSwinAdapter, { name: "Video Swin (backbone., cls_head.fc_cls, 3D tables)", source: video, expected: canon3d });

describe("Swin layout detection and errors", () => {
  it("tells Microsoft and timm numbering apart, and refuses a map with both", () => {
    expect(detectLayout([...ms.keys()]).id).toBe("ms-swin");
    expect(detectLayout([...timm.keys()]).id).toBe("timm-swin");
    // headless timm: the downsample on the last stage alone decides
    expect(detectLayout([...timm.keys()].filter((k) => !k.startsWith("head."))).id).toBe("timm-swin");
    const both = [...ms.keys(), "layers.2.downsample.reduction.weight"];
    expect(() => detectLayout(both)).toThrow(LayoutError);
  });

  it("names the unmappable key in one line", () => {
    const bad = new Map(timm);
    bad.set("layers.0.downsample.reduction.weight", ramp([8, 16]));
    expect(() => timmSwinAdapter.toCanonical(bad)).toThrow(/^timm-swin layout: cannot map layers\.0\.downsample\.reduction\.weight$/);
    const hf = toHf("swin.");
    hf.delete("swin.encoder.layers.1.blocks.1.attention.self.key.bias");
    expect(() => hfSwinAdapter.toCanonical(hf)).toThrow(/layers\.1\.blocks\.1\.attn\.qkv\.bias needs 3 parts but part\(s\) 1 are missing/);
  });
});

describe("inferSwinConfig", () => {
  it("reads embed, depths, heads, window, patch, channels and mlp ratio from the shapes", () => {
    expect(inferSwinConfig(canon)).toEqual({ kind: "swin", embed_dim: 4, depths: [1, 2, 1], heads: [1, 2, 2], window_size: [2, 2], patch: 4, patch_depth: null, in_channels: 3, mlp_ratio: 4, patch_norm: true, stage_norms: false });
    const inflated = canonical({ kernel: [4, 1, 5, 4, 4] });
    for (let s = 0; s < 3; s++) { inflated.set(`norm${s}.weight`, ramp([4 * 2 ** s])); inflated.set(`norm${s}.bias`, ramp([4 * 2 ** s])); }
    expect(inferSwinConfig(inflated)).toMatchObject({ kind: "swin", patch_depth: 5, in_channels: 1, stage_norms: true });
    // (2*8-1) * (2*7-1)^2 rows: Video Swin-B's window (8, 7, 7)
    expect(inferSwinConfig(canonical({ table: 15 * 169, kernel: [4, 3, 2, 4, 4] })).window_size).toEqual([8, 7, 7]);
  });

  it("one line naming the tensor for missing or inconsistent shapes", () => {
    const cases: [string, (m: Map<string, TensorEntry>) => void, RegExp][] = [
      ["no patch kernel", (m) => m.delete("patch_embed.proj.weight"), /^ck: missing patch_embed\.proj\.weight$/],
      ["a missing block", (m) => { for (const k of [...m.keys()]) if (k.startsWith("layers.1.blocks.0.")) m.delete(k); }, /^ck: stage 1 block 0 is missing \(found 1\)$/],
      ["a missing merge", (m) => m.delete("layers.1.downsample.reduction.weight"), /^ck: missing layers\.1\.downsample\.reduction\.weight \(the patch merging after stage 1\)$/],
      ["qkv of the wrong width", (m) => m.set("layers.1.blocks.1.attn.qkv.weight", ramp([12, 4])), /^ck: layers\.1\.blocks\.1\.attn\.qkv\.weight is \[12, 4\], stage 1 of embed 4 needs \[24, 8\]$/],
      ["heads differing in a stage", (m) => m.set("layers.1.blocks.1.attn.relative_position_bias_table", ramp([9, 1])), /^ck: layers\.1\.blocks\.1\.attn\.relative_position_bias_table has 1 heads, block 0 of stage 1 has 2$/],
      ["a table of no window", (m) => m.set("layers.0.blocks.0.attn.relative_position_bias_table", ramp([10, 1])), /neither \(2W-1\)\^2 nor/],
      ["a merge on the last stage", (m) => m.set("layers.2.downsample.reduction.weight", ramp([32, 64])), /on the last stage .*--source timm-swin/],
    ];
    for (const [what, edit, re] of cases) {
      const m = canonical();
      edit(m);
      expect(() => inferSwinConfig(m, "ck"), what).toThrow(re);
      try { inferSwinConfig(m, "ck"); } catch (e) { expect(e, what).toBeInstanceOf(LayoutError); expect((e as Error).message, what).not.toContain("\n"); }
    }
  });
});
