/**
 * Checkpoints built to exhaust the reader rather than to run code: views that would expand a
 * one-element storage into gigabytes, dicts that contain themselves, integers of megabytes,
 * opcode lists too long to spread. Each is refused (or read) with a CheckpointError, quickly.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CheckpointError } from "../errors.js";
import { readCheckpoint } from "../read.js";
import { py } from "../testing/pickle-writer.js";
import { torchStorage, torchTensor, writeTorchZip } from "../testing/torch-zip.js";
import { writeZip } from "../testing/zip-writer.js";

const dir = mkdtempSync(join(tmpdir(), "hostile-"));

async function refusedQuickly(file: string, problem: RegExp): Promise<void> {
  const start = performance.now();
  const err = await readCheckpoint(file).then((ck) => { for (const t of ck.tensors.values()) t.read(); }, (e: unknown) => e);
  expect(performance.now() - start).toBeLessThan(2000);
  expect(err).toBeInstanceOf(CheckpointError);
  expect((err as CheckpointError).message.startsWith(`${file}: `)).toBe(true);
  expect((err as CheckpointError).problem).toMatch(problem);
}

const pklZip = (name: string, pkl: number[] | Uint8Array) => {
  const file = join(dir, `${name}.pth`);
  writeZip(file, [{ name: "archive/data.pkl", data: Uint8Array.from(pkl) }]);
  return file;
};
const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];

describe("pytorch-zip: hostile sizes and shapes", () => {
  it("refuses a stride-0 view that would expand one element into 8 GiB", async () => {
    const s = torchStorage("0", "F32", Float32Array.from([1]));
    const file = join(dir, "expanded.pth");
    writeTorchZip(file, py.ordered({ w: torchTensor(s, [2 ** 31], { stride: [0] }) }), [s]);
    await refusedQuickly(file, /^tensor "w" \[2147483648\] has 2147483648 elements but its storage 0 only 1: an expanded \(overlapping\) view; save it with \.contiguous\(\) or \.clone\(\)$/);
  });

  it("does not loop on a dict that is its own state_dict and model", async () => {
    // {} BINPUT 0, MARK "state_dict" BINGET 0 "model" BINGET 0 SETITEMS STOP
    const str = (s: string) => [0x8c, s.length, ...new TextEncoder().encode(s)];
    const file = pklZip("cycle", [0x80, 2, 0x7d, 0x71, 0, 0x28, ...str("state_dict"), 0x68, 0, ...str("model"), 0x68, 0, ...str("module"), 0x68, 0, 0x75, 0x2e]);
    await refusedQuickly(file, /^no state dict found/);
  });

  it("refuses a 4 MB integer instead of spending minutes converting it", async () => {
    const n = 4 << 20;
    const pkl = new Uint8Array(2 + 5 + n + 1);
    pkl.set([0x80, 2, 0x8b, ...u32(n)]);
    pkl[pkl.length - 1] = 0x2e;
    await refusedQuickly(pklZip("long4", pkl), /^pickle: integer of 4194304 bytes \(more than 1024\)$/);
    const digits = new TextEncoder().encode(`I${"9".repeat(100_000)}\n.`);
    await refusedQuickly(pklZip("textint", Uint8Array.from([0x80, 2, ...digits])), /^pickle: integer of 100000 digits/);
  });

  it("appends 300,000 items without overflowing the call stack", async () => {
    const n = 300_000;
    const pkl = new Uint8Array(4 + n + 2);
    pkl.set([0x80, 2, 0x5d, 0x28]);
    pkl.fill(0x4e, 4, 4 + n); // None × n
    pkl.set([0x65, 0x2e], 4 + n); // APPENDS STOP
    await refusedQuickly(pklZip("appends", pkl), /^no state dict found: the checkpoint holds a list/);
  });
});
