import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_MAX_VOXELS, encodeNifti, parseNifti, readNifti, readNiftiSync, VolumeError } from "./index.js";

const tmp = mkdtempSync(join(tmpdir(), "nifti-limits-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const put = (name: string, bytes: Uint8Array) => {
  const p = join(tmp, name);
  writeFileSync(p, bytes);
  return p;
};

/** An 8×8×8 int16 volume: 352 + 1024 bytes. */
const small = () => encodeNifti({ data: new Int16Array(512).map((_, i) => i % 97), shape: [8, 8, 8] });

/** `small()` with its dims replaced (the voxels stay 1024 bytes). */
function claiming(dims: number[]): Uint8Array {
  const b = small().slice();
  const v = new DataView(b.buffer);
  v.setInt16(40, dims.length, true);
  dims.forEach((d, i) => v.setInt16(42 + 2 * i, d, true));
  return b;
}

/** Largest single Buffer.allocUnsafe / allocUnsafeSlow while `f` runs (zlib sizes its output with them). */
async function largestAllocation(f: () => Promise<unknown>): Promise<number> {
  let largest = 0;
  for (const m of ["allocUnsafe", "allocUnsafeSlow"] as const) {
    const original = Buffer[m].bind(Buffer);
    vi.spyOn(Buffer, m).mockImplementation((size: number) => {
      largest = Math.max(largest, size);
      return original(size);
    });
  }
  await f().catch(() => undefined);
  return largest;
}

async function refusal(f: () => unknown): Promise<VolumeError> {
  const e = await Promise.resolve().then(f).then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(VolumeError);
  expect((e as Error).message).not.toMatch(/\n/);
  return e as VolumeError;
}

describe("maxVoxels", () => {
  it("defaults to 2^31", () => {
    expect(DEFAULT_MAX_VOXELS).toBe(2 ** 31);
  });

  it("refuses a header claiming more voxels than the limit, naming the option, before reading the voxels", async () => {
    const nii = put("big.nii", claiming([32767, 32767, 4]));
    const e = await refusal(() => readNifti(nii));
    expect(e.problem).toMatch(/^header claims 32767x32767x4 = 4294705156 voxels, more than the limit of 2147483648 \(maxVoxels; --max-voxels on the command line\)$/);
    const gz = put("big.nii.gz", gzipSync(claiming([32767, 32767, 4])));
    expect((await refusal(() => readNifti(gz))).problem).toMatch(/more than the limit of 2147483648 \(maxVoxels/);
    expect((await refusal(() => readNiftiSync(gz))).problem).toMatch(/maxVoxels/);
  });

  it("takes a lower limit, for every entry point", async () => {
    const nii = put("ok.nii", small());
    expect((await readNifti(nii)).shape).toEqual([8, 8, 8]);
    expect((await refusal(() => readNifti(nii, { maxVoxels: 511 }))).problem).toMatch(/8x8x8 = 512 voxels, more than the limit of 511/);
    expect((await refusal(() => readNiftiSync(nii, { maxVoxels: 100 }))).problem).toMatch(/limit of 100/);
    expect((await refusal(() => parseNifti(gzipSync(small()), "mem.nii.gz", { maxVoxels: 100 }))).message).toMatch(/^mem\.nii\.gz: header claims/);
    expect(readNiftiSync(nii, { maxVoxels: 512 }).data.length).toBe(512);
  });
});

describe("gzip bombs and forged sizes", () => {
  it("a 2 MB .nii.gz that inflates to 2 GiB behind an 8×8×8 header is refused at once, without inflating it", async () => {
    // the header and voxels, then 2047 gzip members of 1 MiB of zeros each (~1 KB apiece): 2 GiB inflated
    const zeros = gzipSync(new Uint8Array(1 << 20), { level: 9 });
    const head = new Uint8Array(1 << 20);
    head.set(small());
    const parts = [gzipSync(head, { level: 9 }), ...Array<Uint8Array>(2047).fill(zeros)];
    const bomb = put("bomb.nii.gz", Buffer.concat(parts));
    expect(parts.reduce((a, p) => a + p.length, 0)).toBeLessThan(2.5e6);
    const cpu = process.cpuUsage();
    const e = await refusal(() => readNifti(bomb));
    const { user, system } = process.cpuUsage(cpu);
    expect((user + system) / 1000).toBeLessThan(300); // ms of CPU (wall time depends on the machine's load); inflating 2 GiB takes seconds
    expect(e.problem).toBe("gzip data inflates past the 1376 bytes its header needs (stopped there): a decompression bomb, or a wrong header");
    expect((await refusal(() => readNiftiSync(bomb))).problem).toMatch(/inflates past the 1376 bytes/);
    // nothing near its size is ever allocated: the output buffer is sized by the header (+ a 64 KiB tail)
    expect(await largestAllocation(() => readNifti(bomb))).toBeLessThan(3 * 2 ** 20);
  });

  it("a header claiming far more than the compressed bytes can hold is refused before allocating, even with ISIZE forged to agree", async () => {
    // 2^30 voxels: 2 GiB of int16 claimed by 16 KiB of gzip (random voxels: the header probe stops short of the trailer)
    const random = Uint8Array.from({ length: 16_384 }, (_, i) => (i * 2654435761) >>> 24);
    const b = gzipSync(Buffer.concat([claiming([2048, 2048, 256]).subarray(0, 352), random]));
    new DataView(b.buffer, b.byteOffset, b.length).setUint32(b.length - 4, (352 + 2 ** 31) % 2 ** 32, true);
    const path = put("forged.nii.gz", b);
    const e = await refusal(() => readNifti(path));
    expect(e.problem).toMatch(/^header claims 2048x2048x256 voxels \(2147484000 bytes\) but \d+ bytes of gzip data inflate to at most \d+: truncated file or wrong dims$/);
    expect(await largestAllocation(() => readNifti(path))).toBeLessThan(4 * 1024 * 1024);
  });

  it("still reads a small tail after the voxels, multi-member streams, and a header split across members", async () => {
    const padded = new Uint8Array(1376 + 1000);
    padded.set(small());
    expect((await readNifti(put("tail.nii.gz", gzipSync(padded)))).shape).toEqual([8, 8, 8]);
    const raw = small();
    for (const cut of [100, 352, 900]) {
      const two = Buffer.concat([gzipSync(raw.subarray(0, cut)), gzipSync(raw.subarray(cut))]);
      const v = await readNifti(put(`members${cut}.nii.gz`, two));
      expect(Array.from(v.data.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
      expect(readNiftiSync(join(tmp, `members${cut}.nii.gz`)).data.length).toBe(512);
    }
  });

  it("finds the header behind a long gzip header field (FEXTRA)", async () => {
    const body = gzipSync(small());
    const extra = new Uint8Array(40_000).fill(0x41);
    const withExtra = Buffer.concat([body.subarray(0, 3), Uint8Array.of(body[3]! | 4), body.subarray(4, 10), Uint8Array.of(extra.length & 0xff, extra.length >> 8), extra, body.subarray(10)]);
    expect((await readNifti(put("fextra.nii.gz", withExtra))).shape).toEqual([8, 8, 8]);
  });
});
