import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { Script } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { initBackend } from "./init-backend.js";
import { benchmarkMatMul } from "./matmul-benchmark.js";
import { busyThreads, runWasmChild } from "./testing/wasm-child.js";
import { ensureWorkerLoader, workerLoaderSource } from "./wasm/worker-loader.js";

const scratch = mkdtempSync(join(tmpdir(), "transseg-wasm-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const runChild = (threads: number, timeoutMs?: number) => runWasmChild(scratch, threads, timeoutMs);
const onLinux = process.platform === "linux";

describe("wasm with worker threads in Node", () => {
  it("initialises multi-threaded in this (vitest) process, one thread per logical core by default", async () => {
    const info = await initBackend("wasm", { log: () => undefined });
    expect(info.name).toBe("wasm");
    expect(info.threads).toBe(availableParallelism());
    if (info.threads > 1) expect(info.description).toContain("threaded-SIMD build on Node worker threads");
    expect(tf.getBackend()).toBe("wasm");
    expect(benchmarkMatMul({ shape: [64, 32, 48], repeats: 1, warmup: 0 }).gflops).toBeGreaterThan(0);
  });

  it.skipIf(!onLinux)("computes on two OS threads with threads: 2, and the process exits by itself", async () => {
    const run = await runChild(2);
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(0);
    expect(run.report?.info).toMatchObject({ name: "wasm", threads: 2 });
    expect(run.report?.logs).toEqual([]);
    console.log(`wasm 2 threads: ${run.report?.gflops.toFixed(1)} GFLOP/s, thread CPU s ${run.report?.threadCpu.slice(0, 3).join(", ")}, process done in ${run.seconds.toFixed(1)} s`);
    expect(busyThreads(run.report!)).toBe(2);
  });

  it.skipIf(!onLinux)("computes on one OS thread with threads: 1", async () => {
    const run = await runChild(1);
    expect(run.code, run.stderr).toBe(0);
    expect(run.report?.info).toMatchObject({ name: "wasm", threads: 1, description: "wasm: XNNPACK SIMD, 1 thread" });
    console.log(`wasm 1 thread: ${run.report?.gflops.toFixed(1)} GFLOP/s, thread CPU s ${run.report?.threadCpu.slice(0, 3).join(", ")}`);
    expect(busyThreads(run.report!)).toBe(1);
  });

  it("falls back to one thread with a logged reason when the threaded runtime fails, and still exits", async () => {
    const run = await runChild(2, 1);
    expect(run.code, run.stderr).toBe(0);
    expect(run.report?.info.threads).toBe(1);
    expect(run.report?.info.description).toMatch(/^wasm: XNNPACK SIMD, 1 thread \(single-threaded fallback: the threaded wasm runtime was not ready after 1 ms\)$/);
    expect(run.report?.logs).toEqual(["wasm: multi-threading failed, falling back to one thread: the threaded wasm runtime was not ready after 1 ms"]);
  });
});

describe("pthread worker loader", () => {
  it("is valid CommonJS that names the package's worker source", () => {
    const source = workerLoaderSource("/x/tfjs-backend-wasm-threaded-simd.worker.js");
    expect(() => new Script(`(function (require, __filename) {${source}\n})`)).not.toThrow();
    expect(source).toContain('require("/x/tfjs-backend-wasm-threaded-simd.worker.js")');
  });

  it("is written atomically once and reused", () => {
    const dir = join(scratch, "loader");
    const first = ensureWorkerLoader("/x/worker.js", dir);
    const second = ensureWorkerLoader("/x/worker.js", dir);
    expect(second).toBe(first);
    expect(readdirSync(dir)).toEqual([first.slice(dir.length + 1)]);
    expect(readFileSync(first, "utf8")).toBe(workerLoaderSource("/x/worker.js"));
    expect(ensureWorkerLoader("/y/worker.js", dir)).not.toBe(first);
  });
});
