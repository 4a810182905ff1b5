import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readCheckpoint } from "../read.js";
import { tensorEntry, type TensorEntry } from "../tensor.js";
import { testFormat } from "../testing/index.js";
import { writeZip } from "../testing/zip-writer.js";
import { npzFormat, readNpz } from "./npz.js";

const TEST_DATA = resolve(dirname(fileURLToPath(import.meta.url)), "../../test-data");
const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

/** What make_pth.py writes into arrays.npz / arrays_c.npz (values in C order). */
const expected = new Map<string, TensorEntry>([
  ["params/embedding/kernel", tensorEntry("F32", [2, 3, 4], Float32Array.from(range(24, (i) => i / 4)))],
  ["params/fortran", tensorEntry("F64", [3, 4], Float64Array.from(range(12, (i) => i)))],
  ["params/big", tensorEntry("F32", [2, 3], Float32Array.from(range(6, (i) => i)))],
  ["params/i64", tensorEntry("I64", [2], BigInt64Array.from([-1n, 2n ** 40n]))],
  ["params/mask", tensorEntry("BOOL", [2], Uint8Array.from([1, 0]))],
]);

testFormat(npzFormat, [
  { name: "test-data/arrays.npz (np.savez: stored, Fortran order, big endian)", file: join(TEST_DATA, "arrays.npz"), expected },
  { name: "test-data/arrays_c.npz (np.savez_compressed: deflated)", file: join(TEST_DATA, "arrays_c.npz"), expected },
]);

/** A .npy member: magic, version 1.0, padded header, data. */
function npy(header: string, data: Uint8Array): Uint8Array {
  let h = header;
  while ((10 + h.length + 1) % 64) h += " ";
  h += "\n";
  const out = new Uint8Array(10 + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
  out.set(new TextEncoder().encode(h), 10);
  out.set(data, 10 + h.length);
  return out;
}

describe("npz", () => {
  it("keeps '/'-separated names (JAX / big_vision style) and is chosen by content", async () => {
    const ck = await readCheckpoint(join(TEST_DATA, "arrays_c.npz"));
    expect(ck.format).toBe("npz");
    expect([...ck.tensors.keys()].sort()).toEqual([...expected.keys()].sort());
  });

  it("rejects a member whose header declares more data than it holds, before allocating", () => {
    const file = join(mkdtempSync(join(tmpdir(), "npz-")), "liar.npz");
    writeZip(file, [{ name: "w.npy", data: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }", new Uint8Array(16)) }]);
    expect(() => readNpz(file)).toThrow(/liar\.npz: npz member "w\.npy": F32\[100000, 100000\] needs 40000000000 bytes but the member holds 16: truncated\?/);
  });

  it("refuses object arrays (they would need pickle) and unsupported dtypes", () => {
    const dir = mkdtempSync(join(tmpdir(), "npz-"));
    const obj = join(dir, "obj.npz");
    writeZip(obj, [{ name: "o.npy", data: npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)) }]);
    expect(() => readNpz(obj)).toThrow(/obj\.npz: npz member "o\.npy": unsupported \.npy dtype '\|O' \(object arrays need pickle and are refused\)/);
    const c = join(dir, "complex.npz");
    writeZip(c, [{ name: "c.npy", data: npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)) }]);
    expect(() => readNpz(c)).toThrow(/unsupported \.npy dtype '<c8'/);
  });

  it("decodes a hand-built Fortran-order, big-endian 3-D member", () => {
    const file = join(mkdtempSync(join(tmpdir(), "npz-")), "f.npz");
    // shape (2, 3, 2) in Fortran order: element (i, j, k) stored at i + 2 j + 6 k, value 100 i + 10 j + k
    const data = new Uint8Array(12 * 2);
    const dv = new DataView(data.buffer);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 2; k++) dv.setInt16(2 * (i + 2 * j + 6 * k), 100 * i + 10 * j + k, false);
    writeZip(file, [{ name: "a/b.npy", data: npy("{'descr': '>i2', 'fortran_order': True, 'shape': (2, 3, 2), }", data), deflate: true }], { zip64: true });
    const t = readNpz(file).tensors.get("a/b")!;
    expect(t.dtype).toBe("I16");
    expect([...t.read()]).toEqual([0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121]);
  });
});
