import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { writeFileAtomic } from "../atomic.js";
import { createNiftiStream, readNiftiSync, writeNifti } from "./index.js";

const disk = vi.hoisted(() => ({ match: null as RegExp | null, allow: 0, failures: 0 }));
vi.mock("node:fs", async (original) => (await import("@transseg/weights/testing/full-disk")).fullDiskFs(await original(), disk));
vi.mock("node:fs/promises", async (original) => (await import("@transseg/weights/testing/full-disk")).fullDiskFsPromises(await original(), disk));

const volume = (fill: number) => ({ data: new Int16Array(8 * 8 * 4).fill(fill), shape: [8, 8, 4] });

/** Runs `write` with the disk full after `allow` bytes; returns the error. */
async function onFullDisk(allow: number, write: () => unknown): Promise<Error> {
  Object.assign(disk, { match: /\.tmp$/, allow, failures: 0 });
  try {
    await write();
  } catch (e) {
    return e as Error;
  } finally {
    disk.match = null;
  }
  throw new Error("the write succeeded on a full disk");
}

function expectIntact(dir: string, path: string, before: Buffer, err: Error): void {
  expect(err.message).toBe(`${path}: cannot write (no space left on device, ENOSPC); the previous file, if any, is unchanged`);
  expect(readFileSync(path).equals(before)).toBe(true);
  expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
}

describe("NIfTI writes on a full disk", () => {
  for (const name of ["labels.nii.gz", "labels.nii"]) {
    it(`writeNifti ${name}: one-line error, previous file intact, no temporary file`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "nifti-full-"));
      const path = join(dir, name);
      await writeNifti(path, volume(1));
      const before = readFileSync(path);
      for (const allow of [0, 20]) expectIntact(dir, path, before, await onFullDisk(allow, () => writeNifti(path, volume(2))));
      expect(readNiftiSync(path).data[0]).toBe(1);
    });
  }

  for (const name of ["probs.nii.gz", "probs.nii"]) {
    it(`createNiftiStream ${name}: fails in write() or close(), keeps the previous file, removes its temporary files`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "nifti-stream-full-"));
      const path = join(dir, name);
      const grid = { shape: [4, 4, 2, 3], datatype: "float32" as const, spacing: [1, 1, 2] };
      const s = createNiftiStream(path, grid);
      for (let k = 0; k < 3; k++) s.write(k * 32, new Float32Array(32).fill(k));
      await s.close();
      const before = readFileSync(path);
      expect(readNiftiSync(path).data[32 * 2]).toBe(2);
      // full while the pieces are written
      expectIntact(dir, path, before, await onFullDisk(400, () => {
        const t = createNiftiStream(path, grid);
        for (let k = 0; k < 3; k++) t.write(k * 32, new Float32Array(32).fill(9));
      }));
      // full while the file is finished (gzip) — or at once for .nii
      const t = createNiftiStream(path, grid);
      for (let k = 0; k < 3; k++) t.write(k * 32, new Float32Array(32).fill(9));
      if (name.endsWith(".gz")) expectIntact(dir, path, before, await onFullDisk(10, () => t.close()));
      else t.abort();
      expect(readdirSync(dir)).toEqual([name]);
    });
  }

  it("writeFileAtomic (dataset.json): one-line error, previous file intact", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atomic-full-"));
    const path = join(dir, "dataset.json");
    await writeFileAtomic(path, "{}\n");
    expectIntact(dir, path, readFileSync(path), await onFullDisk(0, () => writeFileAtomic(path, '{"name": "x"}\n')));
  });
});
