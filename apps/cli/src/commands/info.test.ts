import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { join } from "node:path";
import { writeNifti } from "@transseg/datasets";
import { describe, expect, it } from "vitest";
import { cli, scratch } from "../test-helpers.js";

describe("transseg info", () => {
  it("--json reports shape, datatype, spacing, affine, orientation and value range", async () => {
    const file = join(scratch(), "ct.nii.gz");
    const data = Int16Array.from({ length: 4 * 3 * 2 }, (_, i) => i * 10 - 100);
    const affine = [[-0.7, 0, 0, 10], [0, -0.7, 0, 20], [0, 0, 2.5, -30], [0, 0, 0, 1]];
    await writeNifti(file, { data, shape: [4, 3, 2], affine });
    const r = await cli("info", file, "--json");
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info).toEqual({ path: file, shape: [4, 3, 2], datatype: "int16", spacing: [0.7, 0.7, 2.5], affine, orientation: "LPS", min: -100, max: 130, mean: 15 });
  });

  it("a corrupt file is one line naming it, exit 2", async () => {
    const file = join(scratch(), "bad.nii.gz");
    writeFileSync(file, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]));
    const r = await cli("info", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^transseg: .*bad\.nii\.gz: /);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("--max-voxels refuses a larger header, naming the option; a gzip bomb is refused at once", async () => {
    const file = join(scratch(), "ct.nii.gz");
    await writeNifti(file, { data: new Int16Array(8 * 8 * 8), shape: [8, 8, 8] });
    const limited = await cli("info", file, "--max-voxels", "500");
    expect(limited.code).toBe(2);
    expect(limited.stderr).toBe(`transseg: ${file}: header claims 8x8x8 = 512 voxels, more than the limit of 500 (maxVoxels; --max-voxels on the command line)\n`);
    expect((await cli("info", file, "--max-voxels", "512")).code).toBe(0);
    expect((await cli("info", file, "--max-voxels", "lots")).stderr).toBe('transseg: --max-voxels must be a positive integer, got "lots"\n');
    // the same header, then 32 MiB of zeros in the stream
    const raw = new Uint8Array(352 + 1024 + (32 << 20));
    raw.set(gunzipSync(readFileSync(file)));
    const bomb = join(scratch(), "bomb.nii.gz");
    writeFileSync(bomb, gzipSync(raw, { level: 9 }));
    const r = await cli("info", bomb);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`transseg: ${bomb}: gzip data inflates past the 1376 bytes its header needs (stopped there): a decompression bomb, or a wrong header\n`);
  });
});
