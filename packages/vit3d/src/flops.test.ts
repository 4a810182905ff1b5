import { describe, expect, it } from "vitest";
import { encoderPresets } from "@transseg/model";
import { countFlops, countParams, encoderMacs } from "./flops.js";

// TransSeg's compute_flops.py (torchprofile) figures for BEiT-B at 512x512, one input channel.
const BEIT_B = { ...encoderPresets["beit-base"].encoder, img: [512, 512] as [number, number], in_channels: 1, window: 5 };

describe("countFlops", () => {
  it("BEiT-B 3D (window 5, patch 16x16x5): 214,954,014,720", () => {
    expect(countFlops(BEIT_B)).toBe(214_954_014_720);
  });
  it("BEiT-B 2D (force_2d): 213,343,401,984", () => {
    expect(countFlops({ ...BEIT_B, force_2d: true })).toBe(213_343_401_984);
  });
  it("the +0.755 % is all patch embedding (4 more slices of a 16x16 kernel)", () => {
    const d3 = encoderMacs(BEIT_B);
    const d2 = encoderMacs({ ...BEIT_B, force_2d: true });
    expect(d3.total - d2.total).toBe(d3.patchEmbed - d2.patchEmbed);
    expect(d3.patchEmbed).toBe(1024 * 768 * 5 * 256);
    expect(((countFlops(BEIT_B) / countFlops({ ...BEIT_B, force_2d: true }) - 1) * 100).toFixed(3)).toBe("0.755");
  });
  it("Gd > 1 multiplies tokens: patch depth 1 of a 5-slice window has 5x1024 tokens", () => {
    const m = encoderMacs({ ...BEIT_B, patch_depth: 1 });
    expect(m.patchEmbed).toBe(5 * 1024 * 768 * 256);
    expect(m.attention).toBe(12 * 2 * 5121 * 5121 * 768);
  });
});

describe("countParams", () => {
  // Expected values: sum of parameter sizes of the PyTorch reference modules
  // (shared/ref/transseg_ref.py Encoder3D / UPerHead), printed once with torch.
  it("BEiT-B 3D encoder at 512x512, window 5: 86,620,224", () => {
    expect(countParams({ encoder: BEIT_B, decoder: { kind: "convtrans" }, classes: 14 }).encoder).toBe(86_620_224);
  });
  it("ViT-B 2D encoder at 512x512: 86,039,808", () => {
    const vit = { ...encoderPresets["vit-base"].encoder, img: [512, 512] as [number, number], force_2d: true };
    expect(countParams({ encoder: vit, decoder: { kind: "convtrans" }, classes: 14 }).encoder).toBe(86_039_808);
  });
  it("UPerNet head at dim 768, channels 768, 14 classes: 74,940,686", () => {
    const p = countParams({ encoder: BEIT_B, decoder: { kind: "upernet" }, classes: 14 });
    expect(p.decoder).toBe(74_940_686);
    expect(p.total).toBe(p.encoder + p.decoder);
  });
});
