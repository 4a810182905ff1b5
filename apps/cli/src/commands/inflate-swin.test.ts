/** `transseg inflate` / `inspect` on Swin checkpoints (a tiny timm >= 0.9 Swin written here). */
import { join } from "node:path";
import { f32Entry, readSafetensors, toFloat32, writeSafetensors, type TensorEntry } from "@transseg/weights";
import { describe, expect, it } from "vitest";
import { cli, scratch } from "../test-helpers.js";

/** timm >= 0.9 names (merges at the start of the next stage, head.fc): embed 4, depths [2, 1], heads [1, 2], window 3. */
function timmSwin(path: string): void {
  const m = new Map<string, TensorEntry>();
  let k = 0;
  const put = (name: string, shape: number[]) => m.set(name, f32Entry(shape, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i + 10 * k++))));
  put("patch_embed.proj.weight", [4, 3, 4, 4]); put("patch_embed.proj.bias", [4]);
  put("patch_embed.norm.weight", [4]); put("patch_embed.norm.bias", [4]);
  [2, 1].forEach((d, s) => {
    const c = 4 * 2 ** s;
    if (s === 1) { put("layers.1.downsample.reduction.weight", [8, 16]); put("layers.1.downsample.norm.weight", [16]); put("layers.1.downsample.norm.bias", [16]); }
    for (let b = 0; b < d; b++) {
      const at = `layers.${s}.blocks.${b}.`;
      for (const n of ["norm1", "norm2"]) { put(`${at}${n}.weight`, [c]); put(`${at}${n}.bias`, [c]); }
      put(`${at}attn.qkv.weight`, [3 * c, c]); put(`${at}attn.qkv.bias`, [3 * c]);
      put(`${at}attn.relative_position_bias_table`, [25, s + 1]);
      put(`${at}attn.proj.weight`, [c, c]); put(`${at}attn.proj.bias`, [c]);
      put(`${at}mlp.fc1.weight`, [4 * c, c]); put(`${at}mlp.fc1.bias`, [4 * c]);
      put(`${at}mlp.fc2.weight`, [c, 4 * c]); put(`${at}mlp.fc2.bias`, [c]);
    }
  });
  put("norm.weight", [8]); put("norm.bias", [8]);
  put("head.fc.weight", [3, 8]); put("head.fc.bias", [3]);
  writeSafetensors(path, m);
}

describe("transseg inflate / inspect: Swin checkpoints", () => {
  const dir = scratch("cli-swin-");
  const input = join(dir, "timm-swin.safetensors");
  timmSwin(input);

  it("inspect names the layout and the architecture read from the shapes", async () => {
    const r = await cli("inspect", input, "--json");
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.layout).toBe("timm-swin");
    expect(s.encoder).toMatchObject({ kind: "swin", embed_dim: 4, depths: [2, 1], heads: [1, 2], window_size: [3, 3], patch: 4, in_channels: 3 });
    const text = await cli("inspect", input);
    expect(text.stdout).toMatch(/encoder\s+swin: embed 4, depths \[2, 1\], heads \[1, 2\], window 3x3, patch 4/);
  });

  it("inflate: swin (default) keeps Microsoft's names and inflates only the patch kernel", async () => {
    const out = join(dir, "swin.safetensors");
    const r = await cli("inflate", input, "-o", out, "--window", "5", "--strategy", "average", "--quiet");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("(safetensors, timm-swin)");
    const { tensors, metadata } = readSafetensors(out);
    expect(tensors.get("patch_embed.proj.weight")!.shape).toEqual([4, 1, 5, 4, 4]);
    expect(tensors.has("layers.0.downsample.reduction.weight")).toBe(true);
    expect(tensors.has("layers.1.downsample.reduction.weight")).toBe(false);
    expect(tensors.has("head.weight")).toBe(true);
    expect(JSON.parse(metadata.transseg_inflation!)).toEqual({ target: "swin", strategy: "average", strategy_options: {}, window: 5, patch_depth: 5, window_size: [3, 3], in_channels: 1, source_layout: "timm-swin" });
    // the sum over depth of an average-inflated kernel is the channel-summed 2D kernel
    const k = toFloat32(tensors.get("patch_embed.proj.weight")!);
    const k2 = toFloat32(readSafetensors(input).tensors.get("patch_embed.proj.weight")!);
    let sum = 0;
    for (let d = 0; d < 5; d++) sum += k[d * 16]!;
    expect(sum).toBeCloseTo(k2[0]! + k2[16]! + k2[32]!, 5);
  });

  it("inflate --target swin3d: Video Swin's rule, tables tiled for the attention window", async () => {
    const out = join(dir, "swin3d.safetensors");
    const r = await cli("inflate", input, "-o", out, "--target", "swin3d", "--attention-window", "2x3x3", "--quiet");
    expect(r.code).toBe(0);
    const { tensors, metadata } = readSafetensors(out);
    expect(tensors.get("patch_embed.proj.weight")!.shape).toEqual([4, 1, 2, 4, 4]);
    expect(tensors.get("layers.1.blocks.0.attn.relative_position_bias_table")!.shape).toEqual([3 * 25, 2]);
    expect(JSON.parse(metadata.transseg_inflation!)).toMatchObject({ target: "swin3d", strategy: "average", patch_depth: 2, window_size: [2, 3, 3] });
  });

  it("bad options: one line, exit 2", async () => {
    const out = join(dir, "bad.safetensors");
    for (const [args, re] of [
      [["--target", "swin4d"], /--target must be swin or swin3d, got "swin4d"/],
      [["--target", "swin3d", "--attention-window", "8x7"], /--attention-window must look like 8x7x7/],
      [["--patch-depth", "1"], /patch kernel spans the whole window \(depth 5\), got patchDepth 1/],
    ] as const) {
      const r = await cli("inflate", input, "-o", out, ...args, "--quiet");
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
