import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { f32Entry } from "../tensor.js";
import { readSafetensors, writeSafetensors } from "./safetensors.js";

const disk = vi.hoisted(() => ({ match: null as RegExp | null, allow: 0, failures: 0 }));
vi.mock("node:fs", async (original) => (await import("../testing/full-disk.js")).fullDiskFs(await original(), disk));

describe("writeSafetensors on a full disk", () => {
  it("fails with one line naming the file; the previous file is intact and no temporary file is left", () => {
    const dir = mkdtempSync(join(tmpdir(), "full-disk-"));
    const path = join(dir, "model.safetensors");
    writeSafetensors(path, new Map([["w", f32Entry([2], Float32Array.from([1, 2]))]]));
    const before = readFileSync(path);
    for (const allow of [0, 8, 100]) {
      Object.assign(disk, { match: /\.tmp$/, allow, failures: 0 });
      let err: Error | undefined;
      try {
        writeSafetensors(path, new Map([["w", f32Entry([1000], new Float32Array(1000).fill(3))]]));
      } catch (e) {
        err = e as Error;
      } finally {
        disk.match = null;
      }
      expect(disk.failures).toBe(1);
      expect(err?.message).toBe(`${path}: cannot write (no space left on device, ENOSPC); the previous file, if any, is unchanged`);
      expect((err as NodeJS.ErrnoException).code).toBe("ENOSPC");
      expect(readFileSync(path).equals(before)).toBe(true);
      expect(readdirSync(dir)).toEqual(["model.safetensors"]);
    }
    expect(Array.from(readSafetensors(path).tensors.get("w")!.read() as Float32Array)).toEqual([1, 2]);
  });
});
