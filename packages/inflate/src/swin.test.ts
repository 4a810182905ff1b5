/** Swin inflation: the SPEC §2 identities on the patch kernel, Video Swin's table tiling, copies, errors. */
import { spawnSync } from "node:child_process";
import { f32Entry, toFloat32, type TensorEntry } from "@transseg/weights";
import { torchPython } from "@transseg/weights/testing";
import { describe, expect, it } from "vitest";
import { inflateSwinCheckpoint, swinInflationMetadata, tileSwinBiasTable } from "./swin.js";
import { patchConv2d, patchConv3d } from "./testing/patch-conv.js";
import { randomFloat32 } from "./testing/random.js";

/** A tiny canonical 2D Swin: embed 4, depths [2, 1], heads [1, 2], window 3 (tables 25 rows), RGB. */
function swin2d(opts: { window?: number; stageNorms?: boolean } = {}): Map<string, TensorEntry> {
  const w = opts.window ?? 3;
  const m = new Map<string, TensorEntry>();
  let seed = 1;
  const put = (name: string, shape: number[]) => m.set(name, f32Entry(shape, randomFloat32(shape.reduce((a, b) => a * b, 1), seed++)));
  put("patch_embed.proj.weight", [4, 3, 4, 4]);
  put("patch_embed.proj.bias", [4]);
  put("patch_embed.norm.weight", [4]);
  put("patch_embed.norm.bias", [4]);
  [2, 1].forEach((d, s) => {
    const c = 4 * 2 ** s;
    for (let b = 0; b < d; b++) {
      const at = `layers.${s}.blocks.${b}.`;
      put(`${at}norm1.weight`, [c]); put(`${at}norm1.bias`, [c]);
      put(`${at}attn.qkv.weight`, [3 * c, c]); put(`${at}attn.qkv.bias`, [3 * c]);
      put(`${at}attn.relative_position_bias_table`, [(2 * w - 1) ** 2, s + 1]);
      put(`${at}attn.proj.weight`, [c, c]); put(`${at}attn.proj.bias`, [c]);
      put(`${at}norm2.weight`, [c]); put(`${at}norm2.bias`, [c]);
      put(`${at}mlp.fc1.weight`, [4 * c, c]); put(`${at}mlp.fc1.bias`, [4 * c]);
      put(`${at}mlp.fc2.weight`, [c, 4 * c]); put(`${at}mlp.fc2.bias`, [c]);
    }
    if (s === 0) { put("layers.0.downsample.reduction.weight", [8, 16]); put("layers.0.downsample.norm.weight", [16]); put("layers.0.downsample.norm.bias", [16]); }
    if (opts.stageNorms) { put(`norm${s}.weight`, [c]); put(`norm${s}.bias`, [c]); }
  });
  return m;
}

/** Video Swin's relative_position_index for window (wd, wh, ww), as swin_transformer_3d.py builds it. */
function index3d(wd: number, wh: number, ww: number): { idx: Int32Array; coords: [number, number, number][] } {
  const coords: [number, number, number][] = [];
  for (let d = 0; d < wd; d++) for (let h = 0; h < wh; h++) for (let w = 0; w < ww; w++) coords.push([d, h, w]);
  const n = coords.length;
  const idx = new Int32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const [a, b] = [coords[i]!, coords[j]!];
      idx[i * n + j] = (a[0] - b[0] + wd - 1) * (2 * wh - 1) * (2 * ww - 1) + (a[1] - b[1] + wh - 1) * (2 * ww - 1) + (a[2] - b[2] + ww - 1);
    }
  return { idx, coords };
}

describe("inflateSwinCheckpoint: swin (TransSeg's swint)", () => {
  const src = swin2d();
  it("average: on a depth-constant window the Conv3d patch embedding equals the channel-adapted Conv2d on the slice", () => {
    const { tensors, report } = inflateSwinCheckpoint(src, { strategy: "average", window: 5, inChannels: 1 });
    const k3 = tensors.get("patch_embed.proj.weight")!;
    expect(k3.shape).toEqual([4, 1, 5, 4, 4]);
    const slice = randomFloat32(8 * 12, 99);
    const win = new Float32Array(5 * 8 * 12);
    for (let k = 0; k < 5; k++) win.set(slice, k * 96);
    const y3 = patchConv3d(win, [1, 5, 8, 12], toFloat32(k3), k3.shape);
    // the 2D model on the slice repeated over its 3 RGB channels (channel adaptation's identity)
    const rgb = new Float32Array(3 * 96);
    for (let c = 0; c < 3; c++) rgb.set(slice, c * 96);
    const y2 = patchConv2d(rgb, [3, 8, 12], toFloat32(src.get("patch_embed.proj.weight")!), [4, 3, 4, 4]);
    for (let i = 0; i < y2.length; i++) expect(Math.abs(y3[i]! - y2[i]!)).toBeLessThan(1e-5);
    expect(report.options).toMatchObject({ target: "swin", strategy: "average", window: 5, patchDepth: 5, windowSize: [3, 3], inChannels: 1 });
  });

  it("center (the default): the kernel sits at depth K//2 only; every other tensor is passed through untouched", () => {
    const { tensors, report } = inflateSwinCheckpoint(src, { window: 3, inChannels: 3 });
    const k3 = toFloat32(tensors.get("patch_embed.proj.weight")!);
    const k2 = toFloat32(src.get("patch_embed.proj.weight")!);
    for (let p = 0; p < 12; p++)
      for (let k = 0; k < 3; k++)
        for (let i = 0; i < 16; i++) expect(k3[(p * 3 + k) * 16 + i]).toBe(k === 1 ? k2[p * 16 + i] : 0);
    expect([...tensors.keys()].sort()).toEqual([...src.keys()].sort());
    for (const [name, e] of src) if (name !== "patch_embed.proj.weight") expect(tensors.get(name), name).toBe(e);
    expect(report.changed.map((c) => c.name)).toEqual(["patch_embed.proj.weight"]);
    expect(swinInflationMetadata(report.options)).toEqual({ target: "swin", strategy: "center", strategy_options: {}, window: 3, patch_depth: 3, window_size: [3, 3], in_channels: 3 });
  });

  it("refuses an inflated checkpoint, a patch depth other than the window, and names the checkpoint", () => {
    const once = inflateSwinCheckpoint(src, { window: 5 }).tensors;
    expect(() => inflateSwinCheckpoint(once, { source: "a.pth" })).toThrow(/^a\.pth: patch_embed\.proj\.weight is already 3D \[4, 1, 5, 4, 4\]: this checkpoint is inflated$/);
    expect(() => inflateSwinCheckpoint(src, { window: 5, patchDepth: 1, source: "a.pth" })).toThrow(/^a\.pth: a swin encoder's patch kernel spans the whole window \(depth 5\), got patchDepth 1$/);
    expect(() => inflateSwinCheckpoint(src, { strategy: "avg", source: "a.pth" })).toThrow(/did you mean "average"/);
    const broken = new Map(src);
    broken.delete("layers.0.downsample.reduction.weight");
    expect(() => inflateSwinCheckpoint(broken, { source: "a.pth" })).toThrow(/^a\.pth: swin checkpoint: missing layers\.0\.downsample\.reduction\.weight/);
  });
});

describe("inflateSwinCheckpoint: swin3d from a 2D Swin (Video Swin's inflate_weights)", () => {
  it("tables tiled over 2·Wd − 1: every 3D relative index reads the 2D bias of its in-plane offset", () => {
    const src = swin2d({ window: 3, stageNorms: true });
    const { tensors, report } = inflateSwinCheckpoint(src, { target: "swin3d", windowSize: [4, 3, 3], window: 5 });
    const name = "layers.1.blocks.0.attn.relative_position_bias_table";
    const t3 = tensors.get(name)!;
    expect(t3.shape).toEqual([7 * 5 * 5, 2]);
    const t2 = toFloat32(src.get(name)!);
    const v3 = toFloat32(t3);
    const { idx, coords } = index3d(4, 3, 3);
    const n = coords.length;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const [a, b] = [coords[i]!, coords[j]!];
        const i2 = (a[1] - b[1] + 2) * 5 + (a[2] - b[2] + 2);
        for (let h = 0; h < 2; h++) expect(v3[idx[i * n + j]! * 2 + h]).toBe(t2[i2 * 2 + h]);
      }
    // Video Swin's default kernel rule is average over the temporal patch (2)
    const k = tensors.get("patch_embed.proj.weight")!;
    expect(k.shape).toEqual([4, 1, 2, 4, 4]);
    expect(report.options).toMatchObject({ target: "swin3d", strategy: "average", patchDepth: 2, windowSize: [4, 3, 3] });
    expect(report.dropped.map((d) => d.name).sort()).toEqual(["norm0.bias", "norm0.weight", "norm1.bias", "norm1.weight"]);
  });

  it("average kernel identity: a depth-constant temporal patch gives the 2D response; repeat gives K times it", () => {
    const src = swin2d();
    const slice = randomFloat32(4 * 8, 7);
    const rgb = new Float32Array(3 * 32);
    for (let c = 0; c < 3; c++) rgb.set(slice, c * 32);
    const y2 = patchConv2d(rgb, [3, 4, 8], toFloat32(src.get("patch_embed.proj.weight")!), [4, 3, 4, 4]);
    for (const [strategy, scale] of [["average", 1], ["repeat", 2]] as const) {
      const k = inflateSwinCheckpoint(src, { target: "swin3d", strategy }).tensors.get("patch_embed.proj.weight")!;
      const win = new Float32Array(2 * 32);
      win.set(slice, 0);
      win.set(slice, 32);
      const y3 = patchConv3d(win, [1, 2, 4, 8], toFloat32(k), k.shape);
      for (let i = 0; i < y2.length; i++) expect(Math.abs(y3[i]! - scale * y2[i]!), strategy).toBeLessThan(1e-5);
    }
  });

  it("a Video Swin checkpoint stays 3D: channels adapted (sum over RGB), tables copied; swin refused", () => {
    const k = randomFloat32(4 * 3 * 2 * 16, 3);
    const m = swin2d();
    m.set("patch_embed.proj.weight", f32Entry([4, 3, 2, 4, 4], k));
    for (const n of [...m.keys()]) if (n.endsWith("relative_position_bias_table")) m.set(n, f32Entry([3 * 25, m.get(n)!.shape[1]!], randomFloat32(75 * m.get(n)!.shape[1]!, 5)));
    const { tensors } = inflateSwinCheckpoint(m, { target: "swin3d" });
    const out = toFloat32(tensors.get("patch_embed.proj.weight")!);
    expect(tensors.get("patch_embed.proj.weight")!.shape).toEqual([4, 1, 2, 4, 4]);
    for (let o = 0; o < 4; o++) for (let i = 0; i < 32; i++) expect(out[o * 32 + i]).toBeCloseTo(k[o * 96 + i]! + k[o * 96 + 32 + i]! + k[o * 96 + 64 + i]!, 5);
    expect(tensors.get("layers.0.blocks.0.attn.relative_position_bias_table")).toBe(m.get("layers.0.blocks.0.attn.relative_position_bias_table"));
    expect(() => inflateSwinCheckpoint(m, { target: "swin", source: "k600.pth" })).toThrow(/^k600\.pth: a Video Swin checkpoint .* use target swin3d$/);
  });
});

const python = torchPython();
if (!python) console.warn("tileSwinBiasTable PyTorch check: skipped, no python3 that imports torch");
describe.skipIf(!python)("tileSwinBiasTable vs Video Swin's inflate_weights in PyTorch", () => {
  it("window 7 -> (8, 5, 5): bicubic resize then repeat(2·Wd − 1, 1), within 1e-5", () => {
    const table = randomFloat32(169 * 3, 11);
    const code = [
      "import sys, json, torch, torch.nn.functional as F",
      "t = torch.tensor(json.load(sys.stdin), dtype=torch.float32).view(169, 3)",
      "r = F.interpolate(t.permute(1, 0).view(1, 3, 13, 13), size=(9, 9), mode='bicubic').view(3, 81).permute(1, 0)",
      "print(json.dumps(r.repeat(2 * 8 - 1, 1).flatten().tolist()))",
    ].join("\n");
    const run = spawnSync(python!, ["-c", code], { input: JSON.stringify([...table]), encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const want = JSON.parse(run.stdout) as number[];
    const got = tileSwinBiasTable(table, [169, 3], [8, 5, 5]);
    expect(got.shape).toEqual([15 * 81, 3]);
    expect(got.data.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) expect(Math.abs(got.data[i]! - want[i]!)).toBeLessThan(1e-5);
  });
});
