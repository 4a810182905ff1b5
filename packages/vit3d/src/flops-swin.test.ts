import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { torchPython, transsegSwinSource } from "@transseg/weights/testing";
import { countSwinFlops, swinMacs, type SwinFlopsConfig } from "./flops-swin.js";

// Swin-B (TransSeg's swint) and Video Swin-B (swint3d) at 512x512, one channel, window 5, as the
// trace of TransSeg's own swin_transformer(_3d).py counts them (scripts/swin_flops_reference.py).
const SWIN_B = { kind: "swin", embed_dim: 128, depths: [2, 2, 18, 2], heads: [4, 8, 16, 32], window_size: 7, img: [512, 512], in_channels: 1, window: 5 } as const satisfies SwinFlopsConfig;
const VIDEO_SWIN_B = { ...SWIN_B, kind: "swin3d", window_size: [8, 7, 7], patch: [2, 4, 4] } as const satisfies SwinFlopsConfig;

describe("countSwinFlops", () => {
  it("Swin-B 3D (patch 5x4x4): TransSeg's figure", () => {
    expect(countSwinFlops(SWIN_B)).toBe(SWIN_B_3D);
  });
  it("Swin-B 2D (force_2d): TransSeg's figure", () => {
    expect(countSwinFlops({ ...SWIN_B, force_2d: true })).toBe(SWIN_B_2D);
  });
  it("Video Swin-B (5 slices -> 3 depth tokens): TransSeg's figure", () => {
    expect(countSwinFlops(VIDEO_SWIN_B)).toBe(VIDEO_SWIN_B_3D);
  });
  it("Video Swin-B on one slice (compute_flops_2d; padded to the temporal patch 2): TransSeg's figure", () => {
    expect(countSwinFlops({ ...VIDEO_SWIN_B, force_2d: true })).toBe(VIDEO_SWIN_B_1_SLICE);
  });
  it("takes the @transseg/model Swin config as it is (patch number + patch_depth)", () => {
    const model = { kind: "swin3d", embed_dim: 128, depths: [2, 2, 18, 2], heads: [4, 8, 16, 32], window_size: [8, 7, 7], patch: 4, patch_depth: 2, mlp_ratio: 4, drop_path: 0.2, window: 5, force_2d: false, in_channels: 1, img: [512, 512] } as const;
    expect(countSwinFlops(model)).toBe(VIDEO_SWIN_B_3D);
    const swin = { ...model, kind: "swin", window_size: [7, 7], patch_depth: 5, drop_path: 0.3 } as const;
    expect(countSwinFlops(swin)).toBe(SWIN_B_3D);
    expect(() => countSwinFlops({ ...swin, patch_depth: 1 })).toThrow(/^a swin patch kernel spans the whole window \(5 slices\), got patch_depth 1$/);
  });
  it("the per-operation parts add up and the inflated kernel is the only 3D/2D difference of swin", () => {
    const m3 = swinMacs(SWIN_B);
    const m2 = swinMacs({ ...SWIN_B, force_2d: true });
    expect(m3.patchEmbed).toBe(5 * m2.patchEmbed);
    expect(m3.total - m3.patchEmbed).toBe(m2.total - m2.patchEmbed);
    expect(Object.values(m3.byOperator).reduce((a, b) => a + b, 0)).toBe(m3.total);
  });
  it("one-line errors for bad configs", () => {
    expect(() => swinMacs({ ...SWIN_B, heads: [4, 8, 16] })).toThrow(/^heads must list one count per stage \(4\)$/);
    expect(() => swinMacs({ ...SWIN_B, heads: [3, 8, 16, 32] })).toThrow(/^heads\[0\] = 3 does not divide the stage width 128$/);
    expect(() => swinMacs({ ...VIDEO_SWIN_B, window_size: [7, 7] })).toThrow(/window_size must be \[Wd, Wh, Ww\] for swin3d/);
    expect(() => swinMacs({ ...SWIN_B, img: [0, 512] })).toThrow(/^img\[0\] must be a positive integer, got 0$/);
  });
});

// Figures of the trace (scripts/swin_flops_reference.py on TransSeg's code, torch 1.13; 1.5 min, run by hand:
// its per-operator tables are in the README and equal swinMacs' byOperator).
const SWIN_B_3D = 173_943_967_286;
const SWIN_B_2D = 173_675_531_830;
const VIDEO_SWIN_B_3D = 543_818_752_632;
const VIDEO_SWIN_B_1_SLICE = 173_734_776_440;

// The count against the trace of TransSeg's own code on small configurations that pad at every
// stage, shrink Video Swin's window in depth and in-plane, and drop the shifted-window mask.
const here = dirname(fileURLToPath(import.meta.url));
const script = resolve(here, "../scripts/swin_flops_reference.py");
const python = torchPython();
const src = python ? transsegSwinSource() : undefined;
if (!python) console.warn("swin FLOPs reference: skipped, no python3 that imports torch");
else if (!src) console.warn("swin FLOPs reference: skipped, TransSeg's swin_transformer.py not found (set TRANSSEG_SRC to its src/backbones/encoders)");

const cases: SwinFlopsConfig[] = [
  { kind: "swin", embed_dim: 16, depths: [2, 2, 2, 2], heads: [1, 2, 2, 4], window_size: 7, img: [264, 296], in_channels: 1, window: 5 },
  { kind: "swin", embed_dim: 16, depths: [2, 2, 2, 2], heads: [1, 2, 2, 4], window_size: 7, img: [100, 84], in_channels: 1, window: 5, force_2d: true },
  { kind: "swin", embed_dim: 8, depths: [1, 3], heads: [1, 2], window_size: 5, img: [60, 44], in_channels: 3, window: 3 },
  { kind: "swin3d", embed_dim: 16, depths: [2, 2, 2, 2], heads: [1, 2, 2, 4], window_size: [8, 7, 7], patch: [2, 4, 4], img: [64, 80], in_channels: 1, window: 5 },
  { kind: "swin3d", embed_dim: 8, depths: [2, 2, 2, 2], heads: [1, 1, 2, 2], window_size: [8, 7, 7], patch: [2, 4, 4], img: [64, 80], in_channels: 1, window: 17 },
  { kind: "swin3d", embed_dim: 8, depths: [1, 2, 1, 2], heads: [1, 1, 1, 1], window_size: [2, 3, 3], patch: [2, 4, 4], img: [40, 56], in_channels: 2, window: 5 },
  { kind: "swin3d", embed_dim: 8, depths: [2, 2], heads: [1, 1], window_size: [8, 7, 7], patch: [2, 4, 4], img: [512, 512], in_channels: 1, window: 1, force_2d: true },
];
const toPython = (c: SwinFlopsConfig) => ({ ...c, window_size: c.window_size, force_2d: !!c.force_2d, window: c.force_2d ? 1 : c.window, patch: c.patch ?? [2, 4, 4] });

describe.skipIf(!python || !src)("swinMacs vs the torch.jit trace of TransSeg's Swin code (torchprofile's rules)", () => {
  afterAll(() => { if (src && !process.env.TRANSSEG_SRC) rmSync(src, { recursive: true, force: true }); });
  it("equal per operator, exactly, on 7 configurations", () => {
    const run = spawnSync(python!, [script, src!, JSON.stringify(cases.map(toPython))], { encoding: "utf8", timeout: 300_000 });
    expect(run.status, run.stderr.slice(-2000)).toBe(0);
    const tables = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, number>);
    expect(tables).toHaveLength(cases.length);
    cases.forEach((c, i) => {
      const ours = Object.fromEntries(Object.entries(swinMacs(c).byOperator).filter(([, v]) => v !== 0));
      expect(ours, JSON.stringify(c)).toEqual(tables[i]);
    });
  }, 300_000);
});
