/**
 * `.nii.gz` bombs measured as a user meets them, in a process of their own: a 2 MB file that
 * inflates to 2 GiB behind an 8×8×8 header, a header claiming 2 GiB with the gzip ISIZE forged to
 * agree, and a header past the voxel limit are each refused in milliseconds, and the process's
 * peak resident memory (getrusage maxRSS) barely moves above what it held after importing the
 * reader.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { encodeNifti } from "./index.js";

const tmp = mkdtempSync(join(tmpdir(), "nifti-bomb-memory-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** An 8×8×8 int16 volume (352 + 1024 bytes), its dims optionally replaced. */
function volume(dims?: number[]): Uint8Array {
  const b = encodeNifti({ data: new Int16Array(512).map((_, i) => i % 97), shape: [8, 8, 8] }).slice();
  if (dims) {
    const v = new DataView(b.buffer);
    v.setInt16(40, dims.length, true);
    dims.forEach((d, i) => v.setInt16(42 + 2 * i, d, true));
  }
  return b;
}

// Runs in the child: reads each file with readNifti and readNiftiSync, timing each, and reports
// the peak RSS before and after (maxRSS is a high-water mark: the growth is what the reads took).
const CHILD = `
const { readNifti, readNiftiSync } = await import("@transseg/datasets");
const rss = () => process.resourceUsage().maxRSS / 1024;
const before = rss();
const reads = [];
for (const file of process.argv.slice(1)) {
  for (const [how, read] of [["readNifti", (f) => readNifti(f)], ["readNiftiSync", async (f) => readNiftiSync(f)]]) {
    const t = performance.now();
    let error = null;
    try { await read(file); } catch (e) { error = e.name + ": " + e.message; }
    reads.push({ file, how, ms: performance.now() - t, error });
  }
}
process.stdout.write(JSON.stringify({ before, after: rss(), reads }));
`;

describe("gzip bombs in a process of their own: time and peak memory", () => {
  it("are refused in milliseconds, and the reads add under 16 MB to the process's peak RSS", () => {
    // 1: the header and voxels, then 2047 gzip members of 1 MiB of zeros each: 2.1 MB on disk, 2 GiB inflated
    const zeros = gzipSync(new Uint8Array(1 << 20), { level: 9 });
    const head = new Uint8Array(1 << 20);
    head.set(volume());
    const bomb = join(tmp, "bomb.nii.gz");
    writeFileSync(bomb, Buffer.concat([gzipSync(head, { level: 9 }), ...Array<Uint8Array>(2047).fill(zeros)]));
    // 2: 2048×2048×256 int16 (2 GiB) claimed by 16 KiB of gzip, ISIZE forged to agree
    const random = Uint8Array.from({ length: 16_384 }, (_, i) => (i * 2654435761) >>> 24);
    const forged = gzipSync(Buffer.concat([volume([2048, 2048, 256]).subarray(0, 352), random]));
    new DataView(forged.buffer, forged.byteOffset, forged.length).setUint32(forged.length - 4, (352 + 2 ** 31) % 2 ** 32, true);
    const claim = join(tmp, "forged.nii.gz");
    writeFileSync(claim, forged);
    // 3: a header past the default 2^31-voxel limit
    const huge = join(tmp, "huge.nii.gz");
    writeFileSync(huge, gzipSync(volume([32767, 32767, 4])));

    const r = spawnSync(process.execPath, ["--import", "tsx", "--conditions=source", "--input-type=module", "-e", CHILD, bomb, claim, huge], { cwd: resolve(import.meta.dirname, "../.."), encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { before: number; after: number; reads: { file: string; how: string; ms: number; error: string | null }[] };
    const expected = [
      [bomb, "gzip data inflates past the 1376 bytes its header needs (stopped there): a decompression bomb, or a wrong header"],
      [claim, /^header claims 2048x2048x256 voxels \(2147484000 bytes\) but \d+ bytes of gzip data inflate to at most \d+: truncated file or wrong dims$/],
      [huge, "header claims 32767x32767x4 = 4294705156 voxels, more than the limit of 2147483648 (maxVoxels; --max-voxels on the command line)"],
    ] as const;
    expect(out.reads).toHaveLength(6);
    for (const [i, read] of out.reads.entries()) {
      const [file, problem] = expected[Math.floor(i / 2)]!;
      expect(read.file).toBe(file);
      expect(read.error?.startsWith(`VolumeError: ${file}: `), JSON.stringify(read)).toBe(true);
      const message = read.error!.slice(`VolumeError: ${file}: `.length);
      if (typeof problem === "string") expect(message).toBe(problem);
      else expect(message).toMatch(problem);
      expect(read.ms, `${read.how} ${file}`).toBeLessThan(500); // inflating 2 GiB takes seconds
    }
    expect(out.after - out.before, `peak RSS ${out.before.toFixed(1)} MB before the reads, ${out.after.toFixed(1)} MB after`).toBeLessThan(16);
    process.stdout.write(`bombs: ${out.reads.map((x) => `${x.how} ${x.file.split("/").pop()} ${x.ms.toFixed(1)} ms`).join(", ")}; peak RSS ${out.before.toFixed(1)} -> ${out.after.toFixed(1)} MB\n`);
  }, 90_000);
});
