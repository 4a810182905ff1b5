import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CheckpointError } from "../errors.js";
import { readCheckpoint } from "../read.js";
import { f32Entry, tensorEntry, toFloat32, type TensorEntry } from "../tensor.js";
import { readSafetensors, writeSafetensors } from "./safetensors.js";

const dir = () => mkdtempSync(join(tmpdir(), "st-"));

describe("safetensors", () => {
  it("round-trips every dtype with metadata", async () => {
    const d = dir();
    const file = join(d, "a.safetensors");
    const tensors = new Map<string, TensorEntry>([
      ["f32", f32Entry([2, 3], Float32Array.from([1, 2, 3, 4, 5, -6.5]))],
      ["f64", tensorEntry("F64", [2], Float64Array.from([1e300, -2]))],
      ["i64", tensorEntry("I64", [3], BigInt64Array.from([1n, -2n, 9007199254740993n]))],
      ["u8", tensorEntry("U8", [1], Uint8Array.from([255]))],
      ["bf16", tensorEntry("BF16", [2], Uint16Array.from([0x3f80, 0xc000]))],
      ["f16", tensorEntry("F16", [2], Uint16Array.from([0x3c00, 0xc000]))],
    ]);
    writeSafetensors(file, tensors, { metadata: { format: "pt" } });
    const ck = await readCheckpoint(file);
    expect(ck.format).toBe("safetensors");
    expect(ck.metadata).toEqual({ format: "pt" });
    expect([...ck.tensors.keys()].sort()).toEqual([...tensors.keys()].sort());
    expect([...ck.tensors.get("f32")!.read()]).toEqual([1, 2, 3, 4, 5, -6.5]);
    expect(ck.tensors.get("f32")!.shape).toEqual([2, 3]);
    expect([...ck.tensors.get("i64")!.read()]).toEqual([1n, -2n, 9007199254740993n]);
    expect([...toFloat32(ck.tensors.get("bf16")!)]).toEqual([1, -2]);
    expect([...toFloat32(ck.tensors.get("f16")!)]).toEqual([1, -2]);
    expect(readdirSync(d)).toEqual(["a.safetensors"]); // no temporary file left behind
  });

  it("rejects a truncated file before allocating, naming it", () => {
    const d = dir();
    const file = join(d, "t.safetensors");
    writeSafetensors(file, new Map([["w", f32Entry([4], new Float32Array(4))]]));
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 4));
    expect(() => readSafetensors(file)).toThrow(CheckpointError);
    expect(() => readSafetensors(file)).toThrow(/t\.safetensors: tensor "w" ends at byte .* truncated/);
  });

  it("rejects a header length larger than the file", () => {
    const file = join(dir(), "h.safetensors");
    const b = Buffer.alloc(16);
    b.writeBigUInt64LE(1000n, 0);
    b.write("{}", 8);
    writeFileSync(file, b);
    expect(() => readSafetensors(file)).toThrow(/header length 1000 does not fit/);
  });

  it("leaves no output when a tensor fails to read", () => {
    const d = dir();
    const file = join(d, "x.safetensors");
    const bad: TensorEntry = { dtype: "F32", shape: [2], read: () => { throw new Error("boom"); } };
    expect(() => writeSafetensors(file, new Map([["bad", bad]]))).toThrow("boom");
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(d)).toEqual([]);
  });
});
