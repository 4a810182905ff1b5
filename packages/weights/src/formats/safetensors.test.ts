import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CheckpointError } from "../errors.js";
import { readCheckpoint } from "../read.js";
import { f32Entry, tensorEntry, toFloat32, type TensorEntry } from "../tensor.js";
import { testFormat } from "../testing/index.js";
import { readSafetensors, safetensorsFormat, writeSafetensors } from "./safetensors.js";
import { sharedDir } from "../testing/shared-dir.js";

const dir = () => mkdtempSync(join(tmpdir(), "st-"));
const FIXTURES = sharedDir("fixtures");
const haveFixtures = existsSync(join(FIXTURES, "beit2d.safetensors"));

const everyDtype = new Map<string, TensorEntry>([
  ["f32", f32Entry([2, 3], Float32Array.from([1, 2, 3, 4, 5, -6.5]))],
  ["f16", tensorEntry("F16", [2], Uint16Array.from([0x3c00, 0xc000]))],
  ["bf16", tensorEntry("BF16", [2], Uint16Array.from([0x3f80, 0xc000]))],
  ["f64", tensorEntry("F64", [2], Float64Array.from([1e300, -2]))],
  ["i64", tensorEntry("I64", [3], BigInt64Array.from([1n, -2n, 9007199254740993n]))],
  ["i32", tensorEntry("I32", [2], Int32Array.from([-(2 ** 31), 2 ** 31 - 1]))],
  ["i16", tensorEntry("I16", [2], Int16Array.from([-32768, 32767]))],
  ["i8", tensorEntry("I8", [2], Int8Array.from([-128, 127]))],
  ["u8", tensorEntry("U8", [1], Uint8Array.from([255]))],
  ["bool", tensorEntry("BOOL", [3], Uint8Array.from([1, 0, 1]))],
  ["scalar", f32Entry([], Float32Array.from([3]))],
  ["empty", f32Entry([0, 4], new Float32Array(0))],
]);
const everyDtypeFile = join(dir(), "all.safetensors");
writeSafetensors(everyDtypeFile, everyDtype, { metadata: { format: "pt" } });

testFormat(safetensorsFormat, [
  { name: "every dtype (F32 F16 BF16 F64 I64 I32 I16 I8 U8 BOOL), scalar and empty", file: everyDtypeFile, expected: everyDtype },
  ...["beit2d.safetensors", "beit2d.bf16.safetensors", "vit2d.safetensors"].map((n) => ({
    name: `fixtures/${n}`,
    file: join(FIXTURES, n),
    ...(haveFixtures ? {} : { skip: `shared fixtures not found at ${FIXTURES}` }),
  })),
]);

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

  it("reads values lazily, from disk, when read() is called", () => {
    const file = join(dir(), "lazy.safetensors");
    writeSafetensors(file, new Map([["x", f32Entry([2], Float32Array.from([1, 2]))]]));
    const ck = readSafetensors(file);
    const at = readFileSync(file).indexOf(Buffer.from(Float32Array.from([1, 2]).buffer));
    const fd = openSync(file, "r+");
    writeSync(fd, Buffer.from(Float32Array.from([5, 6]).buffer), 0, 8, at);
    closeSync(fd);
    expect([...ck.tensors.get("x")!.read()]).toEqual([5, 6]);
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
