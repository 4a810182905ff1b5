import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDataset } from "../layout/load-dataset.js";
import { readNifti } from "../nifti/index.js";
import { task05Prostate } from "../profiles/task05-prostate.js";
import { synthesizeDataset } from "../synthetic/synthesize-dataset.js";
import { modelLabelWindow, modelWindow } from "../window/model-window.js";
import { CaseCache, prepareCase, type CachedCase } from "./case-store.js";
import type { LoaderCase, WindowBatch } from "./types.js";
import { createWindowLoader, sampleTask } from "./window-loader.js";

const root = mkdtempSync(join(tmpdir(), "transseg-loader-"));
let cases: LoaderCase[] = [];
const profile = task05Prostate; // 2 channels, 3 classes
const base = { profile, img: [32, 32] as const, batch: 3, window: 5, seed: 42 };

beforeAll(async () => {
  await synthesizeDataset({ profile, outDir: root, cases: 4, testCases: 0, size: 24, seed: 9 });
  cases = (await loadDataset(root)).training.map((c) => ({ image: c.image, label: c.label, id: c.id }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function take(loader: AsyncIterableIterator<WindowBatch>, n: number): Promise<WindowBatch[]> {
  const out: WindowBatch[] = [];
  for await (const b of loader) {
    out.push(b);
    if (out.length === n) break;
  }
  return out;
}

describe("sampleTask", () => {
  it("visits every case once per epoch, in a seeded order", () => {
    const epoch = (e: number) => Array.from({ length: 5 }, (_, i) => sampleTask(1, e * 5 + i, 5).caseIndex);
    expect([...epoch(0)].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([...epoch(1)].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(epoch(0)).toEqual(Array.from({ length: 5 }, (_, i) => sampleTask(1, i, 5).caseIndex));
    expect(sampleTask(1, 3, 5).seed).not.toBe(sampleTask(1, 4, 5).seed);
  });
});

describe("createWindowLoader", () => {
  it("gives the same batches with 0 or 2 workers (augmented), shaped [B, C, D, H, W]", async () => {
    const inThread = await take(createWindowLoader({ ...base, cases, workers: 0, foregroundProbability: 0.5 }), 3);
    const pooled = await take(createWindowLoader({ ...base, cases, workers: 2, prefetch: 3, foregroundProbability: 0.5 }), 3);
    expect(pooled.map((b) => b.index)).toEqual([0, 1, 2]);
    for (let i = 0; i < 3; i++) {
      expect(pooled[i]!.shape).toEqual([3, 2, 5, 32, 32]);
      expect(pooled[i]!.image.length).toBe(3 * 2 * 5 * 32 * 32);
      expect(pooled[i]!.label.length).toBe(3 * 32 * 32);
      expect(pooled[i]!.cases).toEqual(inThread[i]!.cases);
      expect(pooled[i]!.slices).toEqual(inThread[i]!.slices);
      expect(pooled[i]!.image).toEqual(inThread[i]!.image);
      expect(pooled[i]!.label).toEqual(inThread[i]!.label);
      expect(pooled[i]!.label.every((v) => v >= 0 && v < profile.classes)).toBe(true);
    }
    const other = await take(createWindowLoader({ ...base, cases, seed: 43, workers: 0 }), 1);
    expect(other[0]!.image).not.toEqual(inThread[0]!.image);
  }, 30_000);

  it("without augmentation returns exactly the resized window and centre label of the reported slice", async () => {
    const [b] = await take(createWindowLoader({ ...base, cases, workers: 1, augment: false }), 1);
    const per = 2 * 5 * 32 * 32;
    for (let i = 0; i < 3; i++) {
      const c = cases[b!.cases[i]!]!;
      const prepared = prepareCase(await readNifti(c.image), await readNifti(c.label), profile.clip, 2);
      const z = b!.slices[i]!;
      expect(b!.image.subarray(i * per, (i + 1) * per)).toEqual(modelWindow(prepared.image, z, { window: 5, img: [32, 32] }));
      const labels = modelLabelWindow(prepared.label, z, { window: 5, img: [32, 32] });
      expect(b!.label.subarray(i * 1024, (i + 1) * 1024)).toEqual(labels.subarray(2 * 1024, 3 * 1024));
    }
  });

  it("foregroundProbability 1 centres every window on a foreground slice", async () => {
    const batches = await take(createWindowLoader({ ...base, cases, batch: 4, workers: 0, augment: false, foregroundProbability: 1 }), 4);
    for (const b of batches) for (let i = 0; i < 4; i++) expect(b.label.subarray(i * 1024, (i + 1) * 1024).some((v) => v > 0)).toBe(true);
    const uniform = await take(createWindowLoader({ ...base, cases, batch: 8, workers: 0, augment: false, foregroundProbability: 0 }), 6);
    const empty = uniform.flatMap((b) => Array.from({ length: 8 }, (_, i) => b.label.subarray(i * 1024, (i + 1) * 1024).every((v) => v === 0)));
    expect(empty.some(Boolean)).toBe(true); // the phantom leaves some slices without foreground
  });

  it("stops after `batches` and reports unreadable files", async () => {
    const all: WindowBatch[] = [];
    for await (const b of createWindowLoader({ ...base, cases, workers: 0, batches: 2 })) all.push(b);
    expect(all.length).toBe(2);
    const broken = createWindowLoader({ ...base, workers: 1, cases: [{ image: join(root, "nope.nii.gz"), label: cases[0]!.label }] });
    await expect(broken.next()).rejects.toThrow(`${join(root, "nope.nii.gz")}: cannot read file`);
    expect((await broken.next()).done).toBe(true);
  });

  it("`start` delivers batch start, start + 1, … identical to those of a loader from 0 (workers or not)", async () => {
    const o = { ...base, cases, foregroundProbability: 0.5 };
    const fromZero = await take(createWindowLoader({ ...o, workers: 0 }), 7);
    const late = await take(createWindowLoader({ ...o, workers: 0, start: 5 }), 2);
    const pooled = await take(createWindowLoader({ ...o, workers: 2, start: 4, batches: 2 }), 9);
    expect(late.map((b) => b.index)).toEqual([5, 6]);
    expect(pooled.map((b) => b.index)).toEqual([4, 5]); // `batches` counts from start
    for (const b of [...late, ...pooled]) {
      const ref = fromZero[b.index]!;
      expect(b.cases).toEqual(ref.cases);
      expect(b.slices).toEqual(ref.slices);
      expect(b.image).toEqual(ref.image);
      expect(b.label).toEqual(ref.label);
    }
    expect(fromZero[5]!.image).not.toEqual(fromZero[4]!.image);
    const t0 = performance.now();
    const far = await take(createWindowLoader({ ...o, workers: 0, start: 1_000_000 }), 1);
    expect(far[0]!.index).toBe(1_000_000);
    expect(performance.now() - t0).toBeLessThan(5_000); // the earlier batches are not drawn
  }, 30_000);

  it("validates its options", () => {
    expect(() => createWindowLoader({ ...base, cases, start: -1 })).toThrow("start must be a non-negative integer");
    expect(() => createWindowLoader({ ...base, cases, start: 1.5 })).toThrow("start must be a non-negative integer");
    expect(() => createWindowLoader({ ...base, cases: [] })).toThrow("no cases");
    expect(() => createWindowLoader({ ...base, cases, batch: 0 })).toThrow("batch must be");
    expect(() => createWindowLoader({ ...base, cases, window: 4 })).toThrow("window must be odd");
    expect(() => createWindowLoader({ ...base, cases, foregroundProbability: 2 })).toThrow("foregroundProbability");
  });

  it("lets the process exit while a loader with workers is still open", async () => {
    const script = join(root, "exit-check.mts");
    const src = pathToFileURL(fileURLToPath(new URL("./window-loader.ts", import.meta.url))).href;
    writeFileSync(script, [
      `import { createWindowLoader } from ${JSON.stringify(src)};`,
      `const profile = ${JSON.stringify({ ...profile })};`,
      `const loader = createWindowLoader({ profile, cases: ${JSON.stringify(cases)}, img: [32, 32], batch: 2, workers: 2 });`,
      `const first = await loader.next();`,
      `console.log("got", first.value.shape.join("x"));`,
    ].join("\n"));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ["--import", tsx, script], { timeout: 20_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout));
    });
    expect(out.trim()).toBe("got 2x2x5x32x32");
  }, 30_000);
});

describe("CaseCache", () => {
  const fake = (bytes: number): CachedCase => ({
    image: { data: new Float32Array(1), shape: [1, 1, 1, 1] },
    label: { data: new Uint8Array(1), shape: [1, 1, 1] },
    foregroundSlices: new Int32Array(0),
    bytes,
  });
  it("evicts least recently used cases beyond its byte budget, keeps the newest, shares loads", async () => {
    let loads = 0;
    const cache = new CaseCache(250, async () => {
      loads++;
      return fake(100);
    });
    await Promise.all([cache.get(0), cache.get(0)]);
    expect(loads).toBe(1);
    await cache.get(1);
    await cache.get(0); // 0 becomes most recent
    await cache.get(2); // 300 > 250: evict 1
    expect(cache.keys()).toEqual([0, 2]);
    const tiny = new CaseCache(10, async () => fake(100));
    await tiny.get(5);
    expect(tiny.keys()).toEqual([5]);
    const failing = new CaseCache(10, async () => {
      throw new Error("boom");
    });
    await expect(failing.get(1)).rejects.toThrow("boom");
    expect(failing.keys()).toEqual([]);
  });
});

describe("prepareCase", () => {
  it("checks channels and label shape and finds foreground slices", () => {
    const image = { data: new Int16Array(2 * 2 * 3), shape: [2, 2, 3] };
    const label = { data: Uint8Array.from([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2]), shape: [2, 2, 3] };
    expect(Array.from(prepareCase(image, label, [0, 1], 1).foregroundSlices)).toEqual([1, 2]);
    expect(() => prepareCase(image, label, [0, 1], 2, { image: "a.nii", label: "b.nii" })).toThrow("a.nii: has 1 channel(s), the task profile expects 2");
    expect(() => prepareCase(image, { data: new Uint8Array(8), shape: [2, 2, 2] }, [0, 1], 1, { image: "a.nii", label: "b.nii" })).toThrow(
      "b.nii: label shape [2, 2, 2] does not match image shape [2, 2, 3]",
    );
  });
});
