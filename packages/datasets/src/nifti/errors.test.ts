import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { encodeNifti, parseNifti, readNifti, startReadNifti, VolumeError } from "./index.js";

const DIR = fileURLToPath(new URL("../../test-data/nifti/", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "nifti-errors-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function put(name: string, bytes: Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, bytes);
  return p;
}

/**
 * Reads `path` expecting a VolumeError with exactly `${path}: ${problem}` on one line, from
 * `readNifti` and the same one from `startReadNifti` (as a rejection, never thrown).
 */
async function expectProblem(path: string, problem: string | RegExp): Promise<void> {
  const err = await readNifti(path).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(VolumeError);
  const e = err as VolumeError;
  expect(e.file).toBe(path);
  expect(e.message).toBe(`${path}: ${e.problem}`);
  expect(e.message).not.toMatch(/\n/);
  if (typeof problem === "string") expect(e.problem).toBe(problem);
  else expect(e.problem).toMatch(problem);
  let started: Promise<unknown> | undefined;
  expect(() => (started = startReadNifti(path))).not.toThrow();
  const err2 = await started!.then(() => null, (x: unknown) => x);
  expect(err2).toBeInstanceOf(VolumeError);
  expect((err2 as VolumeError).message).toBe(e.message);
}

const gz = readFileSync(join(DIR, "int16_oblique.nii.gz"));
const raw = gunzipSync(gz);

describe("bad NIfTI files give one-line errors naming the file", () => {
  it("truncated .nii.gz", async () => {
    await expectProblem(put("trunc.nii.gz", gz.subarray(0, gz.length >> 1)), "truncated gzip data (unexpected end of file)");
  });

  it("truncated .nii.gz larger than the header probe", async () => {
    const big = gzipSync(encodeNifti({ data: new Int16Array(2 << 20).fill(7), shape: [1024, 1024, 2] }));
    await expectProblem(put("trunc_big.nii.gz", big.subarray(0, big.length - 100)), "truncated gzip data (unexpected end of file)");
  });

  it("corrupt gzip (damaged deflate data)", async () => {
    const bad = Buffer.from(gz);
    for (let i = 20; i < 60; i++) bad[i] = bad[i]! ^ 0x5a;
    await expectProblem(put("corrupt.nii.gz", bad), /^corrupt gzip data \(.+\)$/);
  });

  it("corrupt gzip (CRC mismatch)", async () => {
    const bad = Buffer.from(gz);
    bad[bad.length - 6] = bad[bad.length - 6]! ^ 0xff;
    await expectProblem(put("crc.nii.gz", bad), /^corrupt gzip data \(.*check.*\)$/);
  });

  it("wrong magic", async () => {
    const bad = Buffer.from(raw);
    bad.write("n+x", 344, "latin1");
    await expectProblem(put("magic.nii", bad), 'bad NIfTI-1 magic "n+x" (expected "n+1")');
    await expectProblem(put("magic.nii.gz", gzipSync(bad)), 'bad NIfTI-1 magic "n+x" (expected "n+1")');
  });

  it("not a NIfTI file at all", async () => {
    await expectProblem(put("text.nii", Buffer.from("hello, this is not an image at all".repeat(20))), /^not a NIfTI file \(header size field is \d+, expected 348 or 540\)$/);
    await expectProblem(put("text.nii.gz", Buffer.from("plain text, not gzip".repeat(30))), "neither gzip data (bad gzip magic) nor a NIfTI header");
    await expectProblem(put("tiny.nii", Buffer.from([1, 2])), "not a NIfTI file (only 2 bytes)");
    await expectProblem(put("short_header.nii", raw.subarray(0, 200)), "truncated NIfTI-1 header (200 of 348 bytes)");
  });

  it("dims that do not fit the file size", async () => {
    const bad = Buffer.from(raw);
    bad.writeInt16LE(70, 42); // dim[1]: 7 -> 70
    const problem = `dims 70x6x5 of int16 need ${70 * 6 * 5 * 2} bytes of voxel data after offset 352, but the file has ${7 * 6 * 5 * 2} (truncated file or wrong dims)`;
    await expectProblem(put("dims.nii", bad), problem);
    await expectProblem(put("dims.nii.gz", gzipSync(bad)), problem);
    await expectProblem(put("cut.nii", raw.subarray(0, raw.length - 2)), /^dims 7x6x5 of int16 need 420 bytes of voxel data after offset 352, but the file has 418 /);
  });

  it("invalid dims", async () => {
    const bad = Buffer.from(raw);
    bad.writeInt16LE(-3, 44);
    await expectProblem(put("negdim.nii", bad), "invalid dim[2] = -3 (sizes must be positive)");
  });

  it("unsupported datatypes: complex64 and RGB24", async () => {
    const tail = "; supported: uint8, int8, int16, uint16, int32, uint32, float32, float64 (int64/uint64 when values fit int32)";
    await expectProblem(join(DIR, "complex64.nii.gz"), `unsupported NIfTI datatype complex64 (code 32)${tail}`);
    await expectProblem(join(DIR, "rgb24.nii"), `unsupported NIfTI datatype RGB24 (code 128)${tail}`);
  });

  it("int64 values outside the int32 range", async () => {
    const bytes = Buffer.from(gunzipSync(readFileSync(join(DIR, "labels_int64.nii.gz"))));
    bytes.writeBigInt64LE(2n ** 40n, 352 + 8 * 3);
    await expectProblem(put("wide.nii", bytes), "int64 voxel value 1099511627776 at index 3 does not fit int32 (only int32-range int64 data is supported)");
  });

  it("an .hdr/.img pair header", async () => {
    const bad = Buffer.from(raw);
    bad.write("ni1", 344, "latin1");
    await expectProblem(put("pair.nii", bad), 'is the header of a NIfTI .hdr/.img pair (magic "ni1"); only single-file .nii / .nii.gz is supported');
  });

  it("a missing file", async () => {
    await expectProblem(join(tmp, "nope.nii.gz"), "cannot read file (ENOENT)");
  });

  it("parseNifti uses the given name", () => {
    expect(() => parseNifti(Buffer.from("xyz"), "upload.nii")).toThrow("upload.nii: not a NIfTI file (only 3 bytes)");
  });
});
