import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tensorEntry } from "../tensor.js";
import { testFormat } from "../testing/index.js";
import { npyFormat, readNpy } from "./npy.js";

const TEST_DATA = resolve(dirname(fileURLToPath(import.meta.url)), "../../test-data");

testFormat(npyFormat, [
  {
    name: "test-data/single.npy (big-endian int32, Fortran order)",
    file: join(TEST_DATA, "single.npy"),
    expected: new Map([["single", tensorEntry("I32", [2, 3], Int32Array.from([0, 1, 2, 3, 4, 5]))]]),
  },
]);

describe("npy", () => {
  it("rejects a header whose shape needs more bytes than the file has", () => {
    const file = join(mkdtempSync(join(tmpdir(), "npy-")), "big.npy");
    const h = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000, 1000), }".padEnd(117, " ") + "\n";
    const b = Buffer.alloc(10 + h.length + 8);
    b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length, 0]);
    b.write(h, 10, "latin1");
    writeFileSync(file, b);
    expect(() => readNpy(file)).toThrow(/big\.npy: F64\[1000000000, 1000\] needs 8000000000000 bytes but the file holds 8 after its header: truncated\?/);
  });

  it("rejects a header length larger than the file", () => {
    const file = join(mkdtempSync(join(tmpdir(), "npy-")), "h.npy");
    writeFileSync(file, Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0, 0xff, 0xff, 0xff, 0x7f, 0x7b]));
    expect(() => readNpy(file)).toThrow(/h\.npy: \.npy header length 2147483659 does not fit the file \(13 bytes\)/);
  });
});
