import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDataset } from "../layout/load-dataset.js";
import { readNifti } from "../nifti/index.js";
import { builtinProfiles } from "../profiles/registry.js";
import { task05Prostate } from "../profiles/task05-prostate.js";
import { task09Spleen } from "../profiles/task09-spleen.js";
import { validateProfile } from "../profiles/validate.js";
import { synthesizeCase } from "./phantom-case.js";
import { casePrefix, synthesizeDataset } from "./synthesize-dataset.js";

const root = mkdtempSync(join(tmpdir(), "transseg-synth-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("synthesizeDataset", () => {
  it.each(Object.values(builtinProfiles))("$id: MSD layout, channels, every class present", async (profile) => {
    const outDir = join(root, profile.id);
    const events: number[] = [];
    await synthesizeDataset({ profile, outDir, cases: 8, testCases: 1, size: 32, seed: 7, onProgress: (e) => events.push(e.done / e.total) });
    expect(events.at(-1)).toBe(1);
    const ds = await loadDataset(outDir);
    expect(ds.labels).toEqual(profile.labels);
    expect(ds.modality).toEqual(profile.channelNames);
    expect(ds.training.length).toBe(8);
    expect(ds.test.length).toBe(1);
    expect(ds.training[0]!.id).toBe(`${casePrefix(profile.id)}_001`);
    const present = new Set<number>();
    for (const c of ds.training) {
      const [img, lab] = await Promise.all([readNifti(c.image), readNifti(c.label)]);
      expect(img.shape).toEqual(profile.channels > 1 ? [32, 32, 16, profile.channels] : [32, 32, 16]);
      expect(img.datatype).toBe(profile.modality === "CT" ? "int16" : "float32");
      expect(lab.shape).toEqual([32, 32, 16]);
      expect(lab.datatype).toBe("uint8");
      expect(lab.spacing[2]).toBeCloseTo(2 * lab.spacing[0]!, 5); // anisotropic
      for (const v of lab.data) present.add(v);
    }
    expect([...present].sort((a, b) => a - b)).toEqual(profile.labels.map((_, i) => i));
  });

  it("is byte-identical for the same seed and differs for another", async () => {
    const run = async (name: string, seed: number) => {
      const outDir = join(root, name);
      await synthesizeDataset({ profile: task05Prostate, outDir, cases: 3, testCases: 1, size: 24, seed });
      const files = ["dataset.json", ...["imagesTr", "labelsTr", "imagesTs"].flatMap((d) => readdirSync(join(outDir, d)).map((f) => join(d, f)))].sort();
      return new Map(files.map((f) => [f, readFileSync(join(outDir, f))]));
    };
    const a = await run("det-a", 3);
    const b = await run("det-b", 3);
    const c = await run("det-c", 4);
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [f, bytes] of a) expect(Buffer.compare(bytes, b.get(f)!), f).toBe(0);
    expect(Buffer.compare(a.get("imagesTr/prostate_001.nii.gz")!, c.get("imagesTr/prostate_001.nii.gz")!)).not.toBe(0);
  });

  it("writes 8 cases of 64x64x32 quickly", async () => {
    const t0 = performance.now();
    await synthesizeDataset({ profile: task09Spleen, outDir: join(root, "speed"), seed: 1 });
    const seconds = (performance.now() - t0) / 1000;
    expect(seconds).toBeLessThan(5);
  });

  it("rejects bad counts", async () => {
    await expect(synthesizeDataset({ profile: task09Spleen, outDir: join(root, "bad"), cases: 0 })).rejects.toThrow("cases must be >= 1");
  });
});

describe("synthesizeCase", () => {
  it("has structures that begin, end and change along z", () => {
    for (const profile of Object.values(builtinProfiles)) {
      const c = synthesizeCase(profile, { seed: 11, size: 48 });
      const [X, Y, Z] = c.label.shape as [number, number, number];
      const perSlice = Array.from({ length: Z }, (_, z) => {
        const counts = new Array<number>(profile.classes).fill(0);
        for (let i = X * Y * z; i < X * Y * (z + 1); i++) counts[c.label.data[i]!]!++;
        return counts;
      });
      const fg = perSlice.map((counts) => X * Y - counts[0]!);
      // foreground area differs between neighbouring slices
      expect(fg.some((v, z) => z > 0 && v !== fg[z - 1]), profile.id).toBe(true);
      // some class appears in a slice where it was absent in the previous one, or vanishes
      const begins = perSlice.some((counts, z) => z > 0 && counts.some((n, k) => k > 0 && (n > 0) !== (perSlice[z - 1]![k]! > 0)));
      expect(begins, profile.id).toBe(true);
    }
  });

  it("gives CT in Hounsfield units around the clip and MRI positive", () => {
    const ct = synthesizeCase(task09Spleen, { seed: 1, size: 32 });
    expect(ct.image.data).toBeInstanceOf(Int16Array);
    const inBody = [...ct.image.data].filter((v) => v > -500);
    const mean = inBody.reduce((a, b) => a + b, 0) / inBody.length;
    expect(mean).toBeGreaterThan(-175);
    expect(mean).toBeLessThan(250);
    expect(Math.min(...ct.image.data)).toBeLessThan(-900); // air outside the body
    const mr = synthesizeCase(task05Prostate, { seed: 1, size: 32 });
    expect(mr.image.shape).toEqual([32, 32, 16, 2]);
    expect(mr.image.data.every((v) => v >= 0)).toBe(true);
  });

  it("Task09: the spleen lies left-posterior (RAS grid), ≈ 1–2 % of the volume, ≈ +50 HU, inside the body", () => {
    for (let seed = 0; seed < 8; seed++) {
      const c = synthesizeCase(task09Spleen, { seed, size: 64 });
      const [X, Y] = c.label.shape as [number, number, number];
      let n = 0;
      let sx = 0;
      let sy = 0;
      let hu = 0;
      for (let i = 0; i < c.label.data.length; i++) {
        if (c.label.data[i] !== 1) continue;
        n++;
        sx += i % X;
        sy += Math.floor(i / X) % Y;
        hu += c.image.data[i]!;
        expect(c.image.data[i]!).toBeGreaterThan(-500); // never in the air outside the body
      }
      const fraction = n / c.label.data.length;
      expect(fraction, `seed ${seed}`).toBeGreaterThan(0.008);
      expect(fraction, `seed ${seed}`).toBeLessThan(0.025);
      expect(sx / n).toBeLessThan(X / 2 - 0.3 * X / 2); // patient left (low x)
      expect(sy / n).toBeLessThan(Y / 2); // posterior (low y)
      expect(hu / n).toBeGreaterThan(35);
      expect(hu / n).toBeLessThan(65);
    }
  });

  it("rejects an `at` outside the body", () => {
    const bad = { ...task09Spleen, phantom: [{ label: 1, kind: "organ", at: [1.5, 0] }] } as unknown as typeof task09Spleen;
    expect(validateProfile(bad).join("\n")).toContain("phantom[0].at must be [x, y] with values in [-1, 1]");
  });

  it("is deterministic for a seed", () => {
    const a = synthesizeCase(task05Prostate, { seed: 5, size: 24 });
    const b = synthesizeCase(task05Prostate, { seed: 5, size: 24 });
    expect(a.image.data).toEqual(b.image.data);
    expect(a.label.data).toEqual(b.label.data);
    expect(() => synthesizeCase(task05Prostate, { seed: 5, size: 4 })).toThrow("invalid size");
  });
});
