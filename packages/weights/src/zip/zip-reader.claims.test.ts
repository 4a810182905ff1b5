/**
 * Archives whose size fields claim more than the file holds (a forged central directory, a
 * deflated entry claiming more than deflate can produce, a local header pushing the data past the
 * end; a safetensors header claiming gigabytes): each is refused with one line naming the file,
 * before any allocation near the claimed size.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { CheckpointError } from "../errors.js";
import { readCheckpoint } from "../read.js";
import { py, torchStorage, torchTensor, writeTorchZip, zipBytes } from "../testing/index.js";
import { readZipDirectory } from "./zip-reader.js";

const tmp = mkdtempSync(join(tmpdir(), "zip-claims-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const CENTRAL = 0x02014b50;

/** The byte offset of each central directory header of a (non-zip64) archive. */
function centralHeaders(b: Uint8Array): number[] {
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  const out: number[] = [];
  for (let p = 0; p + 4 <= b.length; p++) if (v.getUint32(p, true) === CENTRAL) out.push(p);
  return out;
}

/** Largest single allocation (typed arrays, ArrayBuffers, Buffer.alloc*) while `f` runs. */
async function largestAllocation(f: () => Promise<unknown>): Promise<{ largest: number; error: unknown }> {
  let largest = 0;
  for (const m of ["alloc", "allocUnsafe", "allocUnsafeSlow"] as const) {
    const original = Buffer[m].bind(Buffer) as (size: number) => Buffer;
    vi.spyOn(Buffer, m).mockImplementation(((size: number) => {
      largest = Math.max(largest, size);
      return original(size);
    }) as typeof Buffer.alloc);
  }
  const error = await f().then(() => null, (e: unknown) => e);
  return { largest, error };
}

function expectRefusal(error: unknown, file: string, problem: RegExp): void {
  expect(error).toBeInstanceOf(CheckpointError);
  const message = (error as Error).message;
  expect(message.startsWith(`${file}: `), message).toBe(true);
  expect(message).not.toMatch(/\n/);
  expect(message).toMatch(problem);
}

/** A valid torch.save archive of one 16-element float storage; `deflate` compresses the entries. */
function torchZip(name: string, deflate = false): { file: string; bytes: Uint8Array } {
  const file = join(tmp, name);
  const s = torchStorage("0", "F32", Float32Array.from({ length: 16 }, (_, i) => i));
  writeTorchZip(file, py.ordered({ w: torchTensor(s, [4, 4]) }), [s], { deflate });
  return { file, bytes: new Uint8Array(readFileSync(file)) };
}

describe("zip entries claiming more than the file holds", () => {
  it("a central directory entry whose compressed size runs past the end of the file", async () => {
    const { file, bytes } = torchZip("past-end.pth");
    const b = bytes.slice();
    const v = new DataView(b.buffer);
    const at = centralHeaders(b).at(-1)!; // the storage entry (data/0)
    v.setUint32(at + 20, 0x7fffffff, true); // compressed size
    v.setUint32(at + 24, 0x7fffffff, true); // uncompressed size
    writeFileSync(file, b);
    const { largest, error } = await largestAllocation(() => readCheckpoint(file));
    expectRefusal(error, file, /zip entry ".*" declares 2147483647 bytes at \d+, past the end of the file \(\d+ bytes\): truncated\?$/);
    expect(largest).toBeLessThan(1 << 20);
  });

  it("a deflated entry claiming more than deflate can make of its bytes (a forged size or a bomb)", async () => {
    const { file, bytes } = torchZip("inflated.pth", true);
    const b = bytes.slice();
    const v = new DataView(b.buffer);
    const at = centralHeaders(b).find((p) => new TextDecoder().decode(b.subarray(p + 46, p + 46 + v.getUint16(p + 28, true))).endsWith("data/0"))!;
    expect(v.getUint16(at + 10, true)).toBe(8); // deflated
    v.setUint32(at + 24, 0xfffffff0, true); // 4 GiB uncompressed
    writeFileSync(file, b);
    const { largest, error } = await largestAllocation(() => readCheckpoint(file));
    expectRefusal(error, file, /zip entry ".*data\/0" declares 4294967280 bytes from \d+ compressed, more than deflate can produce$/);
    expect(largest).toBeLessThan(1 << 20);
  });

  it("a local header whose name and extra fields push the entry's data past the end of the file", async () => {
    const file = join(tmp, "local.zip");
    const b = zipBytes([{ name: "archive/data.pkl", data: new Uint8Array(100) }, { name: "archive/data/0", data: new Uint8Array(64) }]);
    const v = new DataView(b.buffer, b.byteOffset, b.length);
    v.setUint16(28, 0xffff, true); // the first local header's extra length: its data now start 64 KiB later
    writeFileSync(file, b);
    const zip = readZipDirectory(file);
    const { largest, error } = await largestAllocation(() => readCheckpoint(file));
    expectRefusal(error, file, /zip entry "archive\/data\.pkl" ends past the end of the file \(\d+ bytes\): truncated\?$/);
    expect(zip.entries.size).toBe(2);
    expect(largest).toBeLessThan(1 << 20);
  });
});

describe("safetensors claiming more than the file holds", () => {
  it("a tensor of 2^34 bytes in a 200-byte file is refused without allocating it", async () => {
    const header = JSON.stringify({ w: { dtype: "F32", shape: [65536, 65536], data_offsets: [0, 2 ** 34] } });
    const h = new TextEncoder().encode(header);
    const b = new Uint8Array(8 + h.length + 64);
    new DataView(b.buffer).setBigUint64(0, BigInt(h.length), true);
    b.set(h, 8);
    const file = join(tmp, "liar.safetensors");
    writeFileSync(file, b);
    const { largest, error } = await largestAllocation(async () => (await readCheckpoint(file)).tensors.get("w")?.read());
    expectRefusal(error, file, /tensor "w" ends at byte 17179869266, past the end of the file \(\d+ bytes\): truncated\?$/);
    expect(largest).toBeLessThan(1 << 20);
  });
});
