import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { installAllocationGuard } from "./alloc-guard.js";
import { createRng } from "./rng.js";
import { runInput } from "./run-inputs.js";
import type { FuzzTarget } from "./target.js";
import { builtinTargets } from "./targets/index.js";
import { inputFor } from "./run-inputs.js";

const dir = mkdtempSync(join(tmpdir(), "fuzz-engine-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class ToyError extends Error {
  override readonly name = "ToyError";
}

/** A reader that misbehaves in the way its input says. */
const toy: FuzzTarget = {
  id: "toy",
  description: "a reader for testing the fuzzer",
  errorName: "ToyError",
  expansion: 1,
  seeds: () => [],
  mutate: () => { throw new Error("unused"); },
  async read(path) {
    const what = (await import("node:fs")).readFileSync(path, "utf8");
    if (what === "ok") return null;
    if (what === "wrong") return "values are wrong";
    if (what === "clean") throw new ToyError(`${path}: bad toy`);
    if (what === "type") throw new TypeError("cannot read properties of undefined");
    if (what === "lines") throw new ToyError(`${path}: two\nlines`);
    if (what === "anonymous") throw new ToyError("bad toy");
    if (what === "alloc") return new Float64Array(2 ** 25).length > 0 ? null : "";
    throw new Error(what);
  },
};

const run = (text: string, guard: ReturnType<typeof installAllocationGuard> | null = null) =>
  runInput(toy, { name: text, files: [{ name: "f.toy", bytes: new TextEncoder().encode(text) }], main: "f.toy" }, 0, join(dir, "case"), guard);

describe("fuzz engine", () => {
  it("the same (seed, target, index) gives the same input; another index another one", () => {
    const a = createRng("1/nifti/5"), b = createRng("1/nifti/5"), c = createRng("1/nifti/6");
    const xs = [a.u32(), a.u32()], ys = [b.u32(), b.u32()], zs = [c.u32(), c.u32()];
    expect(xs).toEqual(ys);
    expect(xs).not.toEqual(zs);
    const t = builtinTargets.npy;
    const seeds = t.seeds();
    expect(inputFor(t, seeds, "1", 42).files[0]!.bytes).toEqual(inputFor(t, seeds, "1", 42).files[0]!.bytes);
  });

  it("counts a read, a clean error, and everything else apart", async () => {
    expect((await run("ok")).outcome).toBe("ok");
    expect((await run("clean")).outcome).toBe("clean");
    expect(await run("wrong")).toMatchObject({ outcome: "other", detail: "read without error but wrong: values are wrong" });
    expect(await run("type")).toMatchObject({ outcome: "other", detail: "TypeError (not ToyError): cannot read properties of undefined" });
    expect((await run("lines")).detail).toMatch(/^message has several lines/);
    expect((await run("anonymous")).detail).toMatch(/^message does not start with the file/);
  });

  it("the allocation guard records an allocation far beyond the input", async () => {
    const guard = installAllocationGuard();
    try {
      const r = await run("alloc", guard);
      expect(r.outcome).toBe("other");
      expect(r.detail).toMatch(/^allocation far beyond the input \(5 bytes\): new Float64Array\(33554432\): 268435456 bytes at once/);
      expect((await run("ok", guard)).outcome).toBe("ok");
    } finally {
      guard.uninstall();
    }
    expect(new Float64Array(4)).toBeInstanceOf(Float64Array);
  });
});
