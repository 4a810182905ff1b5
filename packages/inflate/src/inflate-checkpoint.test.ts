import { CheckpointError, f32Entry, tensorEntry, toFloat32, type TensorEntry } from "@transseg/weights";
import { describe, expect, it } from "vitest";
import { inflateCheckpoint } from "./inflate-checkpoint.js";
import { inflationMetadata, planInflation } from "./options.js";
import { randomFloat32 } from "./testing/random.js";

const dim = 8;
const heads = 2;
/** An entry whose values must never be read. */
const untouchable = (shape: number[]): TensorEntry => ({ dtype: "F32", shape, read: () => { throw new Error("read a pass-through tensor"); } });
const rand = (shape: number[], seed: number) => f32Entry(shape, randomFloat32(shape.reduce((a, b) => a * b, 1), seed));

/** A tiny ViT (cls + dist tokens, 3x3 source grid of patch 4) or BEiT (shared bias table) state dict. */
function tiny(kind: "vit" | "beit-shared"): Map<string, TensorEntry> {
  const m = new Map<string, TensorEntry>();
  m.set("cls_token", untouchable([1, 1, dim]));
  m.set("patch_embed.proj.weight", rand([dim, 3, 4, 4], 1));
  m.set("patch_embed.proj.bias", untouchable([dim]));
  if (kind === "vit") {
    m.set("dist_token", untouchable([1, 1, dim]));
    m.set("pos_embed", rand([1, 2 + 9, dim], 2));
  } else {
    m.set("rel_pos_bias.relative_position_bias_table", rand([5 * 5 + 3, heads], 3));
    m.set("rel_pos_bias.relative_position_index", tensorEntry("I64", [10, 10], new BigInt64Array(100)));
  }
  for (const b of [0, 1]) {
    m.set(`blocks.${b}.norm1.weight`, untouchable([dim]));
    m.set(`blocks.${b}.attn.qkv.weight`, untouchable([3 * dim, dim]));
  }
  m.set("norm.weight", untouchable([dim]));
  m.set("head.weight", untouchable([10, dim]));
  return m;
}
const opts = { window: 5, img: [8, 12] as [number, number], patch: 4 };

describe("inflateCheckpoint", () => {
  it("changes only the patch kernel and position tables and passes everything else through unread", () => {
    const input = tiny("vit");
    const { tensors, report } = inflateCheckpoint(input, opts);
    expect([...tensors.keys()]).toEqual([...input.keys()]);
    for (const [name, entry] of input) if (!["patch_embed.proj.weight", "pos_embed"].includes(name)) expect(tensors.get(name)).toBe(entry);
    expect(tensors.get("patch_embed.proj.weight")!.shape).toEqual([dim, 1, 5, 4, 4]);
    expect(tensors.get("pos_embed")!.shape).toEqual([1, 2 + 2 * 3, dim]);
    expect(report.changed.map((c) => [c.name, c.from, c.to])).toEqual([
      ["patch_embed.proj.weight", [dim, 3, 4, 4], [dim, 1, 5, 4, 4]],
      ["pos_embed", [1, 11, dim], [1, 8, dim]],
    ]);
    expect(report.sourceGrid).toEqual([3, 3]);
    expect(report.grid).toEqual([1, 2, 3]);
    expect(report.options).toEqual({ strategy: "center", strategyOptions: {}, window: 5, img: [8, 12], patch: 4, patchDepth: 5, inChannels: 1 });
    expect(input.get("patch_embed.proj.weight")!.shape).toEqual([dim, 3, 4, 4]); // input map untouched
  });

  it("copies a shared BEiT bias table into every block, drops it and the index buffers", () => {
    const { tensors, report } = inflateCheckpoint(tiny("beit-shared"), { ...opts, patchDepth: 1 });
    expect(tensors.has("rel_pos_bias.relative_position_bias_table")).toBe(false);
    expect(tensors.has("rel_pos_bias.relative_position_index")).toBe(false);
    const t0 = tensors.get("blocks.0.attn.relative_position_bias_table")!;
    const t1 = tensors.get("blocks.1.attn.relative_position_bias_table")!;
    expect(t0.shape).toEqual([9 * 3 * 5 + 3, heads]); // Gd = 5: 2Gd-1 = 9 tiles of (2*2-1)x(2*3-1)
    expect([...t1.read()]).toEqual([...t0.read()]);
    expect(report.added.map((a) => a.name)).toEqual(["blocks.0.attn.relative_position_bias_table", "blocks.1.attn.relative_position_bias_table"]);
    expect(report.dropped.map((a) => a.name)).toEqual(["rel_pos_bias.relative_position_bias_table", "rel_pos_bias.relative_position_index"]);
    expect(tensors.get("patch_embed.proj.weight")!.shape).toEqual([dim, 1, 1, 4, 4]);
    expect(report.sourceGrid).toEqual([3, 3]);
  });

  it("outputs F32: unchanged BF16/F16 tensors become lazy F32 views, integers stay", () => {
    const m = tiny("vit");
    let reads = 0;
    m.set("norm.bias", { dtype: "BF16", shape: [2], read: () => { reads++; return Uint16Array.from([0x3f80, 0xc000]); } });
    m.set("counter", tensorEntry("I64", [1], BigInt64Array.from([3n])));
    const { tensors, report } = inflateCheckpoint(m, opts);
    expect(reads).toBe(0);
    expect(tensors.get("norm.bias")!.dtype).toBe("F32");
    expect([...toFloat32(tensors.get("norm.bias")!)]).toEqual([1, -2]);
    expect(tensors.get("counter")).toBe(m.get("counter"));
    expect(report.converted).toEqual(["norm.bias"]);
    for (const c of report.changed) expect(tensors.get(c.name)!.dtype).toBe("F32");
  });

  it("passes resolved strategy options and records them", () => {
    const { report } = inflateCheckpoint(tiny("vit"), { ...opts, strategy: "gaussian" });
    expect(report.options.strategyOptions).toEqual({ sigma: 1.25 });
    const meta = inflationMetadata(report.options);
    expect(JSON.parse(JSON.stringify(meta))).toEqual({ strategy: "gaussian", strategy_options: { sigma: 1.25 }, window: 5, img: [8, 12], patch: 4, patch_depth: 5, in_channels: 1 });
    expect(inflationMetadata(planInflation().options)).toEqual({ strategy: "center", strategy_options: {}, window: 5, img: [512, 512], patch: 16, patch_depth: 5, in_channels: 1 });
  });

  it("accepts a user registry", () => {
    const mine = { id: "zeros", description: "all zeros, for testing a registry", inflate: (x: Float32Array, _s: unknown, k: number) => new Float32Array(x.length * k) };
    const { tensors } = inflateCheckpoint(tiny("vit"), { ...opts, strategy: "zeros", strategies: { zeros: mine } });
    expect([...tensors.get("patch_embed.proj.weight")!.read()].every((v) => v === 0)).toBe(true);
  });

  it("fails with one clear line naming the source and the problem", () => {
    const m = tiny("vit");
    const fails = (o: object, re: RegExp) => {
      expect(() => inflateCheckpoint(m, { ...opts, source: "vit.pth", ...o })).toThrow(CheckpointError);
      expect(() => inflateCheckpoint(m, { ...opts, source: "vit.pth", ...o })).toThrow(re);
    };
    fails({ strategy: "centre" }, /^vit\.pth: unknown inflation strategy "centre": did you mean "center"\? \(known: center, average, repeat, gaussian\)$/);
    fails({ window: 4 }, /^vit\.pth: window must be odd/);
    fails({ patchDepth: 2 }, /^vit\.pth: patchDepth 2 must divide the window 5 \(valid: 1, 5\)$/);
    fails({ img: [10, 12] }, /img 10x12 is not a multiple of the patch size 4/);
    fails({ patch: 2, img: [8, 8] }, /^vit\.pth: patch_embed\.proj\.weight: kernel is 4x4 but the patch size is 2$/);
    fails({ strategyOptions: { sigma: 1 } }, /strategy "center" takes no options, got "sigma"/);
    fails({ strategy: "gaussian", strategyOptions: { sigma: -1 } }, /sigma must be a positive finite number/);
    const inflated = inflateCheckpoint(m, opts).tensors;
    expect(() => inflateCheckpoint(inflated, { ...opts, source: "x" })).toThrow(/^x: patch_embed\.proj\.weight: already 3D \[8, 1, 5, 4, 4\]/);
    const bad = new Map(m);
    bad.set("pos_embed", rand([1, 12, dim], 4));
    expect(() => inflateCheckpoint(bad, opts)).toThrow(/^checkpoint: pos_embed: pos_embed grid tokens \(12 - 2 extra\): 10 is not a square number/);
    const noKernel = new Map(m);
    noKernel.delete("patch_embed.proj.weight");
    expect(() => inflateCheckpoint(noKernel, opts)).toThrow(/patch_embed\.proj\.weight: missing \(keys must use canonical/);
  });

  it("rejects tables that disagree on the source grid", () => {
    const m = tiny("vit");
    m.set("blocks.0.attn.relative_position_bias_table", rand([7 * 7 + 3, heads], 5)); // 4x4, pos_embed says 3x3
    expect(() => inflateCheckpoint(m, opts)).toThrow(/implies a 4x4 source grid but another tensor implies 3x3/);
  });
});
