import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CheckpointError } from "../errors.js";
import { readCheckpoint } from "../read.js";
import { bf16ToFloat, f32Entry, halfToFloat, tensorEntry, toFloat32, type TensorEntry } from "../tensor.js";
import { testFormat, type FormatSample } from "../testing/index.js";
import { py, type Py } from "../testing/pickle-writer.js";
import { torchStateDict, torchStorage, torchTensor, writeTorchZip } from "../testing/torch-zip.js";
import { readPytorchZip, pytorchZipFormat } from "./pytorch-zip.js";
import { readSafetensors } from "./safetensors.js";
import { sharedDir } from "../testing/shared-dir.js";

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = sharedDir("fixtures");
const TEST_DATA = resolve(here, "../../test-data");
const haveFixtures = existsSync(join(FIXTURES, "beit2d.pth"));
const noFixtures = haveFixtures ? undefined : `shared fixtures not found at ${FIXTURES}`;
const tmp = () => mkdtempSync(join(tmpdir(), "pth-"));

// a hand-built checkpoint: zip64 directory, deflated storages, nested under "model" with module. prefixes
const handBuilt = (() => {
  const file = join(tmp(), "hand.pth");
  const tensors = new Map<string, TensorEntry>([
    ["a", f32Entry([2, 2], Float32Array.from([1, 2, 3, 4]))],
    ["b", tensorEntry("I64", [3], BigInt64Array.from([-1n, 0n, 1n << 50n]))],
  ]);
  const { root, storages } = torchStateDict(tensors, "module.");
  writeTorchZip(file, py.dict({ model: py.ordered(root), epoch: 7 }), storages, { zip64: true, deflate: true });
  return { file, tensors };
})();

const samples: FormatSample[] = [
  { name: "test-data/views.pth (real torch.save, views and shared storage)", file: join(TEST_DATA, "views.pth") },
  { name: "hand-built zip64 + deflated", file: handBuilt.file, expected: handBuilt.tensors },
  ...["beit2d", "vit2d"].map((n) => ({
    name: `fixtures/${n}.pth`,
    file: join(FIXTURES, `${n}.pth`),
    ...(haveFixtures ? { expected: readSafetensors(join(FIXTURES, `${n}.safetensors`)).tensors } : { skip: noFixtures! }),
  })),
];
testFormat(pytorchZipFormat, samples);

describe("pytorch-zip: a real torch.save file with views (test-data/views.pth, made by make_pth.py)", () => {
  const ck = readPytorchZip(join(TEST_DATA, "views.pth"));
  const f = (n: string) => [...toFloat32(ck.tensors.get(n)!)];
  const base = (i: number, j: number) => (6 * i + j) / 8;

  it("finds the state dict under state_dict, strips module. and ignores epoch / meta", () => {
    expect([...ck.tensors.keys()]).toEqual(["base", "transposed", "row2", "every_other", "f16", "bf16", "f16_t", "f64", "i64", "i64_t", "i32", "i16", "i8", "u8", "bool", "scalar", "empty"]);
  });

  it("reads views on a shared storage: transposed, offset, strided", () => {
    expect(f("base")).toEqual(Array.from({ length: 24 }, (_, k) => base(Math.floor(k / 6), k % 6)));
    expect(ck.tensors.get("transposed")!.shape).toEqual([6, 4]);
    expect(f("transposed")).toEqual(Array.from({ length: 24 }, (_, k) => base(k % 4, Math.floor(k / 4))));
    expect(f("row2")).toEqual([0, 1, 2, 3, 4, 5].map((j) => base(2, j)));
    expect(ck.tensors.get("every_other")!.shape).toEqual([3, 3]);
    expect(f("every_other")).toEqual([1, 2, 3].flatMap((i) => [0, 2, 4].map((j) => base(i, j))));
  });

  it("reads every dtype", () => {
    const half = [0, 1, 2, 3, 4, 5].map((k) => k / 4 - 0.5);
    expect(ck.tensors.get("f16")!.dtype).toBe("F16");
    expect(f("f16")).toEqual(half);
    expect(ck.tensors.get("bf16")!.dtype).toBe("BF16");
    expect(f("bf16")).toEqual(half);
    expect(f("f16_t")).toEqual([0, 3, 1, 4, 2, 5].map((k) => k / 4 - 0.5));
    expect(ck.tensors.get("f64")!.dtype).toBe("F64");
    expect([...ck.tensors.get("f64")!.read()]).toEqual([0, 1, 2, 3, 4].map((k) => k * 0.1));
    expect([...ck.tensors.get("i64")!.read()]).toEqual([1n, -2n, 2n ** 40n + 3n, -(2n ** 62n)]);
    expect([...ck.tensors.get("i64_t")!.read()]).toEqual([0n, 3n, 1n, 4n, 2n, 5n]);
    expect([...ck.tensors.get("i32")!.read()]).toEqual([-7, 8]);
    expect([...ck.tensors.get("i16")!.read()]).toEqual([-300, 300]);
    expect([...ck.tensors.get("i8")!.read()]).toEqual([-5, 5]);
    expect([...ck.tensors.get("u8")!.read()]).toEqual([0, 255]);
    expect(ck.tensors.get("bool")!.dtype).toBe("BOOL");
    expect([...ck.tensors.get("bool")!.read()]).toEqual([1, 0, 1]);
    expect(ck.tensors.get("scalar")!.shape).toEqual([]);
    expect(f("scalar")).toEqual([2.5]);
    expect(ck.tensors.get("empty")!.shape).toEqual([0, 3]);
    expect(f("empty")).toEqual([]);
  });
});

describe("pytorch-zip: hand-built checkpoints", () => {
  it("reads a transposed view and two tensors sharing one storage at different offsets", async () => {
    const file = join(tmp(), "shared.bin"); // the extension does not matter
    const s = torchStorage("0", "F32", Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
    const root = py.ordered({
      w: torchTensor(s, [3, 4]),
      wt: torchTensor(s, [4, 3], { stride: [1, 4] }),
      tail: torchTensor(s, [2, 2], { offset: 8 }),
      col: torchTensor(s, [3], { offset: 1, stride: [4] }),
    });
    writeTorchZip(file, py.dict({ state_dict: root }), [s]);
    const ck = await readCheckpoint(file);
    expect(ck.format).toBe("pytorch-zip");
    expect([...ck.tensors.get("wt")!.read()]).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    expect([...ck.tensors.get("tail")!.read()]).toEqual([8, 9, 10, 11]);
    expect([...ck.tensors.get("col")!.read()]).toEqual([1, 5, 9]);
  });

  it("reads F16, BF16, F64 and I64 storages, and big-endian archives", () => {
    for (const byteorder of ["little", "big"] as const) {
      const file = join(tmp(), "dtypes.pth");
      const h = torchStorage("h", "F16", Uint16Array.from([0x3c00, 0xc000, 0x3555]));
      const b = torchStorage("b", "BF16", Uint16Array.from([0x3f80, 0xc040]));
      const d = torchStorage("d", "F64", Float64Array.from([Math.PI, -1e300]));
      const l = torchStorage("l", "I64", BigInt64Array.from([-(2n ** 63n), 2n ** 63n - 1n]));
      const root = py.ordered({ h: torchTensor(h, [3]), b: torchTensor(b, [2]), d: torchTensor(d, [2]), l: torchTensor(l, [1, 2]) });
      writeTorchZip(file, root, [h, b, d, l], { byteorder });
      const ck = readPytorchZip(file);
      expect([...toFloat32(ck.tensors.get("h")!)]).toEqual([1, -2, halfToFloat(0x3555)]);
      expect([...toFloat32(ck.tensors.get("b")!)]).toEqual([1, bf16ToFloat(0xc040)]);
      expect([...ck.tensors.get("d")!.read()]).toEqual([Math.PI, -1e300]);
      expect([...ck.tensors.get("l")!.read()]).toEqual([-(2n ** 63n), 2n ** 63n - 1n]);
    }
  });

  it("nests: {model: ...}, {module: ...}, {state_dict: ...}; strips module. prefixes; ignores _metadata and scalars", () => {
    for (const wrap of ["model", "module", "state_dict", null] as const) {
      const file = join(tmp(), "n.pth");
      const s = torchStorage("0", "F32", Float32Array.from([1, 2]));
      // OrderedDict with a _metadata attribute (BUILD state), as nn.Module.state_dict() pickles
      const sd: Py = py.build(py.ordered({ "module.x": torchTensor(s, [2]), step: 3, name: "run" }), py.dict({ _metadata: py.dict({ "": py.dict({ version: 1 }) }) }));
      const root = wrap ? py.dict({ [wrap]: sd, epoch: 12, lr: py.float(0.5), tags: ["a", "b"] }) : sd;
      writeTorchZip(file, root, [s]);
      const ck = readPytorchZip(file);
      expect([...ck.tensors.keys()], String(wrap)).toEqual(["x"]);
      expect([...ck.tensors.get("x")!.read()]).toEqual([1, 2]);
    }
  });

  it("reads values lazily, from disk, when read() is called", () => {
    const file = join(tmp(), "lazy.pth");
    const s = torchStorage("0", "F32", Float32Array.from([1, 2, 3]));
    writeTorchZip(file, py.ordered({ x: torchTensor(s, [3]) }), [s]);
    const ck = readPytorchZip(file);
    // overwrite the stored storage bytes in place: a lazy reader sees the new values
    const bytes = readFileSync(file);
    const at = bytes.indexOf(Buffer.from(Float32Array.from([1, 2, 3]).buffer));
    expect(at).toBeGreaterThan(0);
    const fd = openSync(file, "r+");
    writeSync(fd, Buffer.from(Float32Array.from([7, 8, 9]).buffer), 0, 12, at);
    closeSync(fd);
    expect([...ck.tensors.get("x")!.read()]).toEqual([7, 8, 9]);
  });

  it("rejects a storage that declares more elements than its entry holds, before reading it", () => {
    const file = join(tmp(), "big.pth");
    const s = torchStorage("0", "F32", Float32Array.from([1, 2]));
    const liar = { ...s, pid: py.tuple("storage", py.global("torch", "FloatStorage"), "0", "cpu", 1e12) };
    writeTorchZip(file, py.ordered({ x: torchTensor(liar, [1e12]) }), [s]);
    expect(() => readPytorchZip(file)).toThrow(CheckpointError);
    expect(() => readPytorchZip(file)).toThrow(/big\.pth: storage 0 declares 1000000000000 F32 elements .* holds 8 bytes/);
  });

  it("rejects a view reaching past its storage, a missing storage, and a file without tensors", () => {
    const dir = tmp();
    const s = torchStorage("0", "F32", Float32Array.from([1, 2, 3, 4]));
    const a = join(dir, "view.pth");
    writeTorchZip(a, py.ordered({ x: torchTensor(s, [2, 2], { offset: 1 }) }), [s]);
    expect(() => readPytorchZip(a)).toThrow(/view\.pth: tensor "x" \[2, 2\] at offset 1 reaches element 4 of storage 0, which has 4/);
    const b = join(dir, "missing.pth");
    writeTorchZip(b, py.ordered({ x: torchTensor(s, [4]) }), []);
    expect(() => readPytorchZip(b)).toThrow(/missing\.pth: storage 0 is referenced but archive\/data\/0 is missing/);
    const c = join(dir, "empty.pth");
    writeTorchZip(c, py.dict({ epoch: 1, note: "x" }), []);
    expect(() => readPytorchZip(c)).toThrow(/empty\.pth: no state dict found: .*top-level keys: epoch, note/);
  });
});
