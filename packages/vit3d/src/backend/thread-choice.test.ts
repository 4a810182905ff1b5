import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { chooseWasmThreads, LARGE_STEP_SECONDS, measureTrainStep, THREAD_CACHE_FILE, threadCacheKey } from "./thread-choice.js";

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), "transseg-threads-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tiny = { encoder: { kind: "beit", dim: 16, depth: 4, heads: 2, img: [32, 32] }, decoder: { kind: "upernet", channels: 8, layer_idxs: [0, 1, 2, 3] }, classes: 2 };
/** A fake measurement: seconds per step by thread count, recording the calls. */
function fake(times: Record<number, number>): { measure: (t: number) => Promise<number>; calls: number[] } {
  const calls: number[] = [];
  return { calls, measure: async (t) => (calls.push(t), times[t]!) };
}

describe("chooseWasmThreads", () => {
  it("returns an explicit thread count as is (--threads overrides), and rejects bad ones", async () => {
    const f = fake({ 1: 1, 4: 2 });
    expect(await chooseWasmThreads(tiny, { threads: 3, cores: 4, cacheDir: tempDir(), measure: f.measure })).toEqual({ threads: 3, source: "option" });
    expect(f.calls).toEqual([]);
    await expect(chooseWasmThreads(tiny, { threads: 0 })).rejects.toThrow("chooseWasmThreads: threads must be a positive integer, got 0");
  });

  it("takes 1 thread on one core without measuring", async () => {
    const f = fake({});
    expect(await chooseWasmThreads(tiny, { cores: 1, measure: f.measure })).toEqual({ threads: 1, source: "single-core" });
    expect(f.calls).toEqual([]);
  });

  it("measures all cores and 1 thread once, keeps the faster, and answers from the cache afterwards", async () => {
    const cacheDir = tempDir();
    const slowOnAll = fake({ 1: 0.047, 2: 0.055 });
    expect(await chooseWasmThreads(tiny, { cores: 2, cacheDir, machine: "m", measure: slowOnAll.measure })).toEqual({ threads: 1, source: "measured", seconds: { 1: 0.047, 2: 0.055 } });
    expect(slowOnAll.calls).toEqual([2, 1]);
    const again = fake({ 1: 9, 2: 1 });
    expect(await chooseWasmThreads({ classes: 2, decoder: tiny.decoder, encoder: tiny.encoder }, { cores: 2, cacheDir, machine: "m", measure: again.measure })).toMatchObject({ threads: 1, source: "cache" });
    expect(again.calls).toEqual([]);

    const big = { ...tiny, encoder: { ...tiny.encoder, dim: 384 } };
    const fastOnAll = fake({ 1: 0.31, 2: 0.19 });
    expect(await chooseWasmThreads(big, { cores: 2, cacheDir, machine: "m", measure: fastOnAll.measure })).toEqual({ threads: 2, source: "measured", seconds: { 1: 0.31, 2: 0.19 } });
    // Both decisions are in the one file, keyed by configuration and machine.
    const cache = JSON.parse(readFileSync(join(cacheDir, THREAD_CACHE_FILE), "utf8")) as Record<string, { threads: number }>;
    expect(cache[threadCacheKey(tiny, "m")]!.threads).toBe(1);
    expect(cache[threadCacheKey(big, "m")]!.threads).toBe(2);
    // Another machine measures again.
    const other = fake({ 1: 0.2, 2: 0.1 });
    expect(await chooseWasmThreads(tiny, { cores: 2, cacheDir, machine: "other", measure: other.measure })).toMatchObject({ threads: 2, source: "measured" });
  });

  it("measures again when the cache is damaged or names an impossible count, and rewrites it", async () => {
    const cacheDir = tempDir();
    writeFileSync(join(cacheDir, THREAD_CACHE_FILE), "{not json");
    const f = fake({ 1: 0.1, 2: 0.2 });
    expect(await chooseWasmThreads(tiny, { cores: 2, cacheDir, machine: "m", measure: f.measure })).toMatchObject({ threads: 1, source: "measured" });
    writeFileSync(join(cacheDir, THREAD_CACHE_FILE), JSON.stringify({ [threadCacheKey(tiny, "m")]: { threads: 8, seconds: {} } }));
    const g = fake({ 1: 0.2, 2: 0.1 });
    expect(await chooseWasmThreads(tiny, { cores: 2, cacheDir, machine: "m", measure: g.measure })).toMatchObject({ threads: 2, source: "measured" });
    expect(g.calls).toEqual([2, 1]);
  });

  it("takes all cores without timing one thread when a step on all cores takes LARGE_STEP_SECONDS or more", async () => {
    const cacheDir = tempDir();
    const large = fake({ 1: 0.5, 4: LARGE_STEP_SECONDS });
    expect(await chooseWasmThreads(tiny, { cores: 4, cacheDir, machine: "m", measure: large.measure })).toEqual({ threads: 4, source: "measured", seconds: { 4: LARGE_STEP_SECONDS } });
    expect(large.calls).toEqual([4]);
    const justBelow = fake({ 1: 0.5, 4: LARGE_STEP_SECONDS - 0.01 });
    expect(await chooseWasmThreads(tiny, { cores: 4, cacheDir, machine: "n", measure: justBelow.measure })).toMatchObject({ threads: 1, source: "measured" });
    expect(justBelow.calls).toEqual([4, 1]);
  });

  it("still answers when the cache cannot be written", async () => {
    const file = join(tempDir(), "a-file");
    writeFileSync(file, "");
    const logs: string[] = [];
    const f = fake({ 1: 0.1, 2: 0.2 });
    expect(await chooseWasmThreads(tiny, { cores: 2, cacheDir: join(file, "sub"), machine: "m", measure: f.measure, log: (m) => logs.push(m) })).toMatchObject({ threads: 1, source: "measured" });
    expect(logs.at(-1)).toMatch(/^wasm threads: could not write .*wasm-threads\.json: /);
  });

  it("the key ignores object key order and changes with the configuration", () => {
    expect(threadCacheKey({ a: 1, b: [1, { c: 2, d: 3 }] }, "m")).toBe(threadCacheKey({ b: [1, { d: 3, c: 2 }], a: 1 }, "m"));
    expect(threadCacheKey({ a: 1 }, "m")).not.toBe(threadCacheKey({ a: 2 }, "m"));
  });
});

describe("measureTrainStep", () => {
  it("times real training steps of a configuration in a child process", async () => {
    const seconds = await measureTrainStep(tiny, 1);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(30);
  }, 120_000);

  it("returns the first step's time at once when it is over stopAbove", async () => {
    const t0 = performance.now();
    const seconds = await measureTrainStep(tiny, 1, 1e-6);
    const wall = (performance.now() - t0) / 1000;
    expect(seconds).toBeGreaterThan(0);
    const full = await measureTrainStep(tiny, 1);
    expect(seconds).toBeGreaterThan(full); // the first step (compilation, allocation) against the mean of 3 later ones
    expect(wall).toBeLessThan(30);
  }, 120_000);

  it("fails in one line naming the probe for a bad configuration", async () => {
    await expect(measureTrainStep({ encoder: { kind: "nope" } }, 1)).rejects.toThrow(/^thread-probe\.ts \(1 threads\) failed: \w*Error\b/);
  }, 120_000);
});
