import { countSwinFlops, normalizeSwinConfig, swinPresets } from "@transseg/vit3d";
import { describe, expect, it } from "vitest";
import { cli } from "../test-helpers.js";

// `transseg flops` takes the Swin presets (and Swin checkpoints through their config): the count
// is the vit3d Swin counter's (TransSeg's compute_flops.py rules) for the preset at the options.
describe("transseg flops with Swin encoders", () => {
  it("swin-base and swin3d-base at 512x512, window 5, one channel", async () => {
    for (const id of ["swin-base", "swin3d-base"] as const) {
      const r = await cli("flops", "--encoder", id, "--json");
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const got = JSON.parse(r.stdout) as { flops: number; macs: number; params: number };
      const e = normalizeSwinConfig({ ...swinPresets[id].encoder, img: [512, 512], window: 5, in_channels: 1 });
      expect(got.flops).toBe(countSwinFlops(e));
      expect(got.flops).toBe(2 * got.macs);
    }
    const text = await cli("flops", "--encoder", "swin-tiny", "--img", "224x224", "--2d", "--in-channels", "3");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^swin embed 96 depths \[2, 2, 6, 2\] heads \[3, 6, 12, 24\] window size 7x7, 224x224, 2D \(centre slice\), 3 channel\(s\)\n {2}FLOPs {3}[\d,]+ \(\d+\.\d{3} G\)/);
    // torchvision's swin_t: 28,288,354 parameters, less its head (769,000) and final norm (1,536), plus our 4 stage norms (2,880)
    expect(text.stdout).toMatch(/params {2}27,520,698\n/);
  });
});
