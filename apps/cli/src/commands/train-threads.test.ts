import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import * as vit3d from "@transseg/vit3d";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, scratch } from "../test-helpers.js";
import { THREADS_ENV, threadsFromEnv, trainThreadChooser } from "./train-threads.js";

const io = () => {
  let err = "";
  return { io: { stdout: () => {}, stderr: (t: string) => void (err += t), interactive: false }, err: () => err };
};

describe("TRANSSEG_WASM_THREADS", () => {
  it("is a thread count, absent, or a one-line usage error", () => {
    expect(threadsFromEnv({})).toBeUndefined();
    expect(threadsFromEnv({ [THREADS_ENV]: "" })).toBeUndefined();
    expect(threadsFromEnv({ [THREADS_ENV]: "3" })).toBe(3);
    for (const bad of ["0", "two", "1.5", "-1"]) expect(() => threadsFromEnv({ [THREADS_ENV]: bad })).toThrow(`TRANSSEG_WASM_THREADS must be an integer ≥ 1, got "${bad}"`);
  });
});

describe("trainThreadChooser", () => {
  const fakeVit3d = (over: Record<string, unknown> = {}) => {
    const calls: string[] = [];
    const v = {
      LARGE_STEP_SECONDS: 1,
      trainModelConfig: async () => (calls.push("config"), { encoder: "the config" }),
      measureTrainStep: async (_c: unknown, t: number) => (calls.push(`measure ${t}`), t === 1 ? 0.05 : 0.08),
      chooseWasmThreads: (async (config: unknown, o: { measure: (t: number) => Promise<number> }) => {
        calls.push(`choose ${JSON.stringify(config)}`);
        await o.measure(2);
        await o.measure(1);
        return { threads: 1, source: "measured" as const };
      }) as unknown as typeof vit3d.chooseWasmThreads,
      ...over,
    } as unknown as Parameters<typeof trainThreadChooser>[0]; // a fake: its config is a stand-in
    return { v, calls };
  };
  const run = { data: "d", out: "o" };

  it("is asked for wasm only; computes the model config, times it, announces the timing once", async () => {
    const { v, calls } = fakeVit3d();
    const out = io();
    const c = trainThreadChooser(v, run, {}, out.io, false);
    expect(await c.chooseThreads("tensorflow")).toBeUndefined();
    expect(calls).toEqual([]);
    expect(await c.chooseThreads("wasm")).toBe(1);
    expect(calls).toEqual(["config", 'choose {"encoder":"the config"}', "measure 2", "measure 1"]);
    expect(out.err().match(/timing a few training steps/g)).toHaveLength(1);
    c.rethrow();
  });

  it("a config that cannot be made keeps the default and is thrown by rethrow; a failed timing keeps all cores", async () => {
    const bad = new Error("d/dataset.json: no such file");
    const { v } = fakeVit3d({ trainModelConfig: async () => Promise.reject(bad) });
    const c = trainThreadChooser(v, run, {}, io().io, false);
    expect(await c.chooseThreads("wasm")).toBeUndefined();
    expect(() => c.rethrow()).toThrow(bad);
    const failing = fakeVit3d({ chooseWasmThreads: (async () => Promise.reject(new Error("thread-probe.js (2 threads) failed: RangeError: x\nmore"))) as unknown as typeof vit3d.chooseWasmThreads });
    const out = io();
    const d = trainThreadChooser(failing.v, run, {}, out.io, false);
    expect(await d.chooseThreads("wasm")).toBeUndefined();
    expect(out.err()).toBe("wasm threads: all cores (timing failed: thread-probe.js (2 threads) failed: RangeError: x)\n");
    d.rethrow();
  });
});

describe("transseg train without --threads", () => {
  const dir = scratch("cli-train-threads-");
  const saved = { env: process.env[THREADS_ENV], cache: process.env.XDG_CACHE_HOME };
  beforeAll(async () => {
    expect((await cli("synth", "--task", "Task09_Spleen", "-o", join(dir, "data"), "--cases", "3", "--test-cases", "0", "--size", "32", "--quiet")).code).toBe(0);
    delete process.env[THREADS_ENV];
    process.env.XDG_CACHE_HOME = join(dir, "cache");
  }, 60_000);
  afterAll(() => {
    if (saved.env === undefined) delete process.env[THREADS_ENV];
    else process.env[THREADS_ENV] = saved.env;
    if (saved.cache === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved.cache;
  });

  it("times the model once on this machine, trains with the faster thread count, and answers from the cache next time", async () => {
    const args = ["--data", join(dir, "data"), "--init", "random", "--encoder", "beit-tiny", "--img", "32x32", "--steps", "1", "--batch", "1", "--val-every", "0", "--workers", "0", "--backend", "wasm"];
    const r = await cli("train", ...args, "-o", join(dir, "run"));
    expect(r.code).toBe(0);
    const cores = availableParallelism();
    const cacheFile = join(dir, "cache", "transseg", "wasm-threads.json");
    if (cores === 1) return expect(existsSync(cacheFile)).toBe(false);
    const m = r.stderr.match(/^wasm threads: (\d+) \(a training step took \d+ ms at (\d+)(?:, \d+ ms at 1)?; cached in (.*)\)$/m);
    expect(m, r.stderr).not.toBeNull();
    expect(m![2]).toBe(String(cores));
    expect(m![3]).toBe(cacheFile);
    expect(r.stderr).toContain(`backend: wasm: XNNPACK SIMD, ${m![1]} thread`);
    const cached = Object.values(JSON.parse(readFileSync(cacheFile, "utf8")) as Record<string, { threads: number }>);
    expect(cached.map((e) => e.threads)).toEqual([Number(m![1])]);
    // the same model again, as `--resume` sees it (this process's wasm runtime has started: ask the chooser directly)
    const out = io();
    const c = trainThreadChooser(vit3d, { resume: join(dir, "run") }, {}, out.io, false);
    const threads = await c.chooseThreads("wasm");
    c.rethrow();
    expect(threads).toBe(Number(m![1]));
    expect(out.err()).toBe(`wasm threads: ${m![1]} (measured earlier for this model on this machine)\n`);
  }, 180_000);
});
