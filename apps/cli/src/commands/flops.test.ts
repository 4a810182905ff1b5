import { describe, expect, it } from "vitest";
import { cli, fixture, HAS_FIXTURES } from "../test-helpers.js";

describe("transseg flops", () => {
  it("BEiT-B at 512x512: 3D window 5 vs 2D, as TransSeg's compute_flops.py (SPEC §2)", async () => {
    const three = await cli("flops", "--encoder", "beit-base", "--img", "512x512", "--window", "5", "--json");
    expect(three.code).toBe(0);
    expect(JSON.parse(three.stdout)).toMatchObject({ flops: 214954014720, macs: 107477007360, params: 86620224 });
    const two = await cli("flops", "--encoder", "beit-base", "--img", "512x512", "--window", "5", "--2d", "--json");
    expect(JSON.parse(two.stdout).flops).toBe(213343401984);
  });

  it("prints a readable summary and rejects a preset typo", async () => {
    const r = await cli("flops", "--encoder", "vit-small", "--img", "224x224", "--window", "3");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/FLOPs\s+[\d,]+ \(\d+\.\d{3} G\)/);
    const typo = await cli("flops", "--encoder", "beit-bse");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/did you mean "beit-base"/);
    const both = await cli("flops");
    expect(both.code).toBe(2);
  });

  it.skipIf(!HAS_FIXTURES)("reads the architecture from a checkpoint", async () => {
    const r = await cli("flops", "--checkpoint", fixture("seg_beit.safetensors"), "--json");
    expect(r.code).toBe(0);
    const { flops, params } = JSON.parse(r.stdout);
    expect(params).toBe(261184 - 3 * 16 * 16 * 64 + 5 * 16 * 16 * 64 - 4 * (731 - 51) * 4);
    expect(flops).toBeGreaterThan(0);
  });
});
