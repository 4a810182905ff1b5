import { describe, expect, it } from "vitest";
import type { SourceAdapter } from "../adapter.js";
import { LayoutError } from "../errors.js";
import { f32Entry, type TensorEntry } from "../tensor.js";
import { canonicalize, detectLayout } from "./canonicalize.js";
import { builtinAdapters } from "./index.js";

const e = () => f32Entry([1], new Float32Array(1));
const vit = new Map<string, TensorEntry>([["cls_token", e()], ["blocks.0.attn.qkv.weight", e()], ["blocks.0.attn.qkv.bias", e()]]);

describe("detectLayout / canonicalize", () => {
  it("detects each built-in layout from its keys", () => {
    expect(detectLayout(["blocks.0.attn.qkv.weight", "pos_embed"]).id).toBe("timm-vit");
    expect(detectLayout(["blocks.0.attn.qkv.weight", "blocks.0.attn.q_bias", "blocks.0.attn.relative_position_index"]).id).toBe("beit");
    expect(detectLayout(["module.backbone.blocks.0.attn.qkv.weight", "module.head.mlp.0.weight"]).id).toBe("dino");
    expect(detectLayout(["vit.embeddings.patch_embeddings.projection.weight", "vit.encoder.layer.0.attention.attention.query.weight", "vit.encoder.layer.0.attention.attention.key.bias"]).id).toBe("hf-vit");
    expect(detectLayout(["beit.embeddings.patch_embeddings.projection.weight", "beit.encoder.layer.0.attention.attention.query.weight", "beit.encoder.layer.0.lambda_1"]).id).toBe("hf-beit");
  });

  it("returns the layout id and lazily renamed tensors", () => {
    const out = canonicalize(vit);
    expect(out.layout).toBe("timm-vit");
    expect(out.tensors.get("cls_token")).toBe(vit.get("cls_token")); // passed through, not copied
  });

  it("lets --source override detection", () => {
    const out = canonicalize(vit, { source: "dino" });
    expect(out.layout).toBe("dino");
    expect([...out.tensors.keys()]).toEqual([...vit.keys()]);
    expect(() => canonicalize(vit, { source: "beit" })).not.toThrow();
    expect(() => canonicalize(new Map([["backbone.cls_token", e()]]), { source: "timm-vit" })).toThrow(/timm-vit layout: cannot map backbone\.cls_token/);
  });

  it("names the nearest id and lists all ids for an unknown --source", () => {
    expect(() => canonicalize(vit, { source: "hf-vt" })).toThrow(LayoutError);
    expect(() => canonicalize(vit, { source: "hf-vt" })).toThrow('unknown source layout "hf-vt": did you mean "hf-vit"? (known: auto, timm-vit, beit, dino, hf-vit, hf-beit, ms-swin, timm-swin, hf-swin, torchvision-swin, video-swin)');
    expect(() => canonicalize(vit, { source: "BEIT" })).toThrow('did you mean "beit"?');
  });

  it("names a few unrecognised keys when no layout fits", () => {
    const map = new Map(vit);
    for (const k of ["decode_head.conv_seg.weight", "decode_head.conv_seg.bias", "auxiliary_head.conv.weight"]) map.set(k, e());
    expect(() => canonicalize(map)).toThrow("no source layout fits these tensors (unrecognised keys decode_head.conv_seg.weight, decode_head.conv_seg.bias, auxiliary_head.conv.weight); known layouts: timm-vit, beit, dino, hf-vit, hf-beit, ms-swin, timm-swin, hf-swin, torchvision-swin, video-swin (force one with --source <id>)");
    expect(() => detectLayout([])).toThrow(/the checkpoint holds no tensors/);
  });

  it("accepts a custom registry (a contributor's adapter)", () => {
    const mine = {
      id: "my-vit",
      description: "keys under encoder.",
      detect: (keys: readonly string[]) => keys.every((k) => k.startsWith("encoder.")),
      toCanonical: (map) => new Map([...map].map(([k, v]) => [k.slice("encoder.".length), v])),
    } as const satisfies SourceAdapter;
    const map = new Map([["encoder.cls_token", e()]]);
    expect(canonicalize(map, { adapters: { ...builtinAdapters, "my-vit": mine } }).layout).toBe("my-vit");
    expect(() => canonicalize(map)).toThrow(/no source layout fits/);
  });
});
