import { describe, expect, it } from "vitest";
import { normalizeSwinConfig, swinStageGrids, swinTokenGrid } from "./config.js";
import { swinEncoderParams, swinTableRows } from "./params.js";
import { swinPresets } from "./presets.js";
import { shiftedWindowMask, shrunkRelativeIndex, stageWindow, windowRelativeIndex } from "./windows.js";

describe("Swin config", () => {
  it("fills the defaults and keeps the user's extra fields", () => {
    const e = normalizeSwinConfig({ kind: "swin", embed_dim: 24, depths: [1, 1, 1, 1], heads: [1, 2, 3, 4], img: [264, 296], note: "x" } as never);
    expect(e).toMatchObject({ window_size: [7, 7], patch: 4, patch_depth: 5, window: 5, mlp_ratio: 4, drop_path: 0.2, in_channels: 1, force_2d: false, note: "x" });
    expect(swinTokenGrid(e)).toEqual([1, 66, 74]);
    expect(swinStageGrids(e)).toEqual([[66, 74], [33, 37], [17, 19], [9, 10]]);
    const v = normalizeSwinConfig({ kind: "swin3d", embed_dim: 24, depths: [1, 1], heads: [1, 2], img: [30, 34] });
    expect(v).toMatchObject({ window_size: [8, 7, 7], patch_depth: 2 });
    expect(swinTokenGrid(v)).toEqual([3, 8, 9]); // 5 slices padded to 6, 30 → 32, 34 → 36
  });

  it("refuses bad fields with one-line messages naming them", () => {
    const base = { kind: "swin", embed_dim: 24, depths: [1, 1], heads: [1, 2], img: [32, 32] } as const;
    const bad: [Record<string, unknown>, string][] = [
      [{ kind: "vit" }, 'encoder.kind must be one of swin, swin3d for a Swin encoder (got "vit")'],
      [{ heads: [1] }, "encoder.heads lists 1 stages but encoder.depths lists 2"],
      [{ heads: [5, 2] }, "encoder stage 0 has 24 channels, not divisible by encoder.heads[0] = 5"],
      [{ depths: [] }, "encoder.depths must be a non-empty list of positive integers (got [])"],
      [{ window_size: [7, 7, 7] }, "encoder.window_size must have 2 entries for swin (got [7,7,7])"],
      [{ window: 4 }, "encoder.window must be odd (got 4)"],
      [{ patch_depth: 3 }, "encoder.patch_depth must equal encoder.window (5) for swin: its patch embedding spans the window (got 3)"],
      [{ img: [32] }, "encoder.img must be [H, W] (got [32])"],
      [{ drop_path: 1 }, "encoder.drop_path must be a number in [0, 1) (got 1)"],
      [{ embed_dim: 0 }, "encoder.embed_dim must be a positive integer (got 0)"],
    ];
    for (const [patch, message] of bad) expect(() => normalizeSwinConfig({ ...base, ...patch } as never)).toThrow(message);
  });

  it("presets: TransSeg's swint is swin-base, its swint3d swin3d-base", () => {
    expect(swinPresets["swin-base"].encoder).toMatchObject({ kind: "swin", embed_dim: 128, depths: [2, 2, 18, 2], heads: [4, 8, 16, 32], window_size: 7, drop_path: 0.3 });
    expect(swinPresets["swin3d-base"].encoder).toMatchObject({ kind: "swin3d", embed_dim: 128, depths: [2, 2, 18, 2], heads: [4, 8, 16, 32], window_size: [8, 7, 7], patch_depth: 2, drop_path: 0.2 });
    for (const p of Object.values(swinPresets)) expect(() => normalizeSwinConfig({ ...p.encoder, img: [224, 224] })).not.toThrow();
  });

  it("tensors: Swin-T has torchvision's parameter count (patch kernel of one slice, 3 channels, no head)", () => {
    const e = normalizeSwinConfig({ ...swinPresets["swin-tiny"].encoder, window: 1, in_channels: 3, img: [224, 224] });
    const specs = swinEncoderParams(e);
    const count = (names: RegExp) => specs.filter((s) => !names.test(s.name)).reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);
    // torchvision swin_t: 28,288,354 parameters, of which the head 768·1000 + 1000 and the final norm 2·768;
    // we have the stage norms norm0..norm3 instead of the final norm
    expect(count(/^norm\d\./)).toBe(28288354 - 769000 - 1536);
    expect(specs.find((s) => s.name === "layers.0.blocks.0.attn.relative_position_bias_table")!.shape).toEqual([169, 3]);
    expect(specs.find((s) => s.name === "layers.2.downsample.reduction.weight")!.shape).toEqual([768, 1536]);
    expect(specs.some((s) => s.name === "layers.3.downsample.norm.weight")).toBe(false);
    const v = swinEncoderParams(normalizeSwinConfig({ ...swinPresets["swin3d-tiny"].encoder, img: [224, 224] }));
    expect(v.find((s) => s.name === "patch_embed.proj.weight")!.shape).toEqual([96, 1, 2, 4, 4]);
    expect(v.find((s) => s.name === "layers.0.blocks.0.attn.relative_position_bias_table")!.shape).toEqual([swinTableRows([8, 7, 7]), 3]);
    expect(v.some((s) => /^norm/.test(s.name))).toBe(false);
  });
});

describe("shifted windows", () => {
  it("relative index: offsets in (d, h, w), the 2D index as depth 1", () => {
    const idx = windowRelativeIndex([2, 3]);
    // tokens (0,0) and (1,2): offset (-1, -2) → (−1 + 1)·5 + (−2 + 2) = 0; reverse offset (1, 2) → 2·5 + 4 = 14
    expect(idx[0 * 6 + 5]).toBe(0);
    expect(idx[5 * 6 + 0]).toBe(14);
    expect(Array.from(idx.filter((_, i) => i % 7 === 0))).toEqual(new Array(6).fill(7)); // diagonal: zero offset
    expect(Array.from(windowRelativeIndex([1, 2, 3]))).toEqual(Array.from(idx));
    const idx3 = windowRelativeIndex([2, 2, 2]);
    expect(idx3[0 * 8 + 7]).toBe(0); // (0,0,0) − (1,1,1) = (−1,−1,−1)
    expect(idx3[7 * 8 + 0]).toBe(26); // the last row of the 3·3·3 table
  });

  it("a shrunk window reads the top-left block of the full index (exact when only the depth shrinks)", () => {
    const full = [8, 7, 7];
    const depthOnly = shrunkRelativeIndex(full, [3, 7, 7]);
    const direct = windowRelativeIndex([3, 7, 7]);
    // same offsets, re-based from the 5·13·13 table onto the 15·13·13 one: + (8 − 3)·169
    expect(Array.from(depthOnly)).toEqual(Array.from(direct, (v) => v + 5 * 169));
    const inPlane = shrunkRelativeIndex(full, [3, 5, 5]);
    expect(inPlane.length).toBe(75 * 75);
    expect(inPlane[0 * 75 + 5]).toBe(windowRelativeIndex(full)[5]); // token 5 of the full window is (0, 0, 5), not (0, 1, 0)
  });

  it("mask: one region unshifted, Swin's 3 × 3 regions shifted, −100 across regions", () => {
    const w: [number, number, number] = [1, 7, 7];
    const m = shiftedWindowMask([1, 14, 14], w, [0, 3, 3]);
    expect(m.length).toBe(4 * 49 * 49);
    const win = (k: number) => m.subarray(k * 2401, (k + 1) * 2401);
    expect(win(0).every((v) => v === 0)).toBe(true); // the top-left window lies in one region
    const distinctRows = (k: number) => new Set(Array.from({ length: 49 }, (_, i) => Array.from(win(k).subarray(i * 49, i * 49 + 49)).join())).size;
    expect([distinctRows(1), distinctRows(2), distinctRows(3)]).toEqual([2, 2, 4]);
    // last window: token (0, 0) [region (1,1)] vs token (0, 4) [region (1,2)]
    expect(win(3)[0 * 49 + 4]).toBe(-100);
    expect(win(3)[0 * 49 + 3]).toBe(0);
    // a map no larger than the window (TransSeg keeps the shift): two regions per axis in the one window
    expect(distinctRows(0)).toBe(1);
    const small = shiftedWindowMask([1, 7, 7], w, [0, 3, 3]);
    expect(new Set(Array.from({ length: 49 }, (_, i) => Array.from(small.subarray(i * 49, i * 49 + 49)).join())).size).toBe(4);
  });

  it("stage windows: swin keeps window and shift; swin3d shrinks to the map and drops that axis' shift", () => {
    expect(stageWindow("swin", [7, 7], [1, 5, 9])).toEqual({ window: [1, 7, 7], shift: [0, 3, 3], padded: [1, 7, 14] });
    expect(stageWindow("swin3d", [8, 7, 7], [3, 5, 9])).toEqual({ window: [3, 5, 7], shift: [0, 0, 3], padded: [3, 5, 14] });
    expect(stageWindow("swin3d", [8, 7, 7], [16, 7, 8])).toEqual({ window: [8, 7, 7], shift: [4, 0, 3], padded: [16, 7, 14] });
  });
});
