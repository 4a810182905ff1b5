import { join } from "node:path";
import { countSwinFlops, createSegmentationModel, initBackend, normalizeSwinConfig } from "@transseg/vit3d";
import { describe, expect, it } from "vitest";
import { cli, scratch } from "../test-helpers.js";

// `transseg inspect` and `transseg flops --checkpoint` on a Swin segmentation checkpoint (transseg-seg/1):
// the tensors listed under TransSeg's names, the FLOPs of its encoder section.
describe("inspect / flops on a Swin segmentation checkpoint", () => {
  it("lists its tensors and counts its encoder FLOPs", async () => {
    await initBackend("cpu");
    const dir = scratch("cli-inspect-swin-");
    const file = join(dir, "swin.safetensors");
    const m = createSegmentationModel({ encoder: { kind: "swin", embed_dim: 8, depths: [1, 1, 1, 1], heads: [1, 1, 2, 2], window: 3, img: [32, 32] }, decoder: { kind: "upernet-swint", channels: 8 }, classes: 2 });
    m.saveCheckpoint(file);
    m.dispose();
    const r = await cli("inspect", file);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/encoder\.layers\.3\.blocks\.0\.attn\.relative_position_bias_table +F32 +\[169, 2\]/);
    expect(r.stdout).toMatch(/decoder\.psp_modules\.0\.1\.conv\.weight +F32 +\[8, 64, 1, 1\]/);
    const f = await cli("flops", "--checkpoint", file, "--json");
    expect(f.code).toBe(0);
    expect(JSON.parse(f.stdout).flops).toBe(countSwinFlops(normalizeSwinConfig({ kind: "swin", embed_dim: 8, depths: [1, 1, 1, 1], heads: [1, 1, 2, 2], window: 3, img: [32, 32] })));
  });
});
