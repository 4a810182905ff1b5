import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDataset } from "../layout/load-dataset.js";
import { readNifti } from "../nifti/index.js";
import { formulaShapesProfile, synthesizeFormulaCase, synthesizeFormulaDataset } from "./formula.js";

const root = mkdtempSync(join(tmpdir(), "transseg-formula-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("formula-driven shapes", () => {
  it("draws every shape class, with brightness that does not tell the class", () => {
    const c = synthesizeFormulaCase({ size: 32, depth: 60, seed: 1 });
    const sums = [0, 0, 0, 0];
    const counts = [0, 0, 0, 0];
    c.label.data.forEach((l, i) => {
      sums[l]! += c.image.data[i]!;
      counts[l]!++;
    });
    expect(counts.every((n) => n > 0)).toBe(true);
    const means = sums.map((s, k) => s / counts[k]!);
    // mean brightness of each shape class lies within 25 % of the others: only outlines differ
    for (const m of means.slice(1)) expect(Math.abs(m - means[1]!) / means[1]!).toBeLessThan(0.25);
    expect(c.image.data.every((v) => v >= 0)).toBe(true);
  });

  it("slices are independent pictures and the case is deterministic", () => {
    const a = synthesizeFormulaCase({ size: 32, depth: 4, seed: 9 });
    const b = synthesizeFormulaCase({ size: 32, depth: 4, seed: 9 });
    expect(a.image.data).toEqual(b.image.data);
    const plane = 32 * 32;
    let same = 0;
    for (let i = 0; i < plane; i++) if (a.label.data[i] === a.label.data[plane + i]) same++;
    expect(same / plane).toBeLessThan(0.95);
    expect(() => synthesizeFormulaCase({ size: 4, seed: 1 })).toThrow("invalid size");
  });

  it("writes a Decathlon-layout dataset its profile describes", async () => {
    const out = join(root, "ds");
    await synthesizeFormulaDataset({ outDir: out, cases: 2, size: 24, depth: 3, seed: 2 });
    const ds = await loadDataset(out);
    expect(ds.name).toBe(formulaShapesProfile.id);
    expect(ds.labels).toEqual(formulaShapesProfile.labels);
    expect(ds.training).toHaveLength(2);
    const img = await readNifti(ds.training[0]!.image);
    expect(img.shape).toEqual([24, 24, 3]);
    await expect(synthesizeFormulaDataset({ outDir: out, cases: 0 })).rejects.toThrow("cases must be >= 1");
  });
});
