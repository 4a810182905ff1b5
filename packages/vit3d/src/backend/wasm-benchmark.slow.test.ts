import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { runWasmChild } from "./testing/wasm-child.js";

const scratch = mkdtempSync(join(tmpdir(), "transseg-wasm-bench-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * MatMul 1024×768×3072 on wasm, one thread vs all cores, each in a fresh process. Needs an
 * otherwise idle machine: on 2 cores, 2 threads must be at least 1.3× as fast as 1.
 */
it.skipIf(availableParallelism() < 2)("wasm matMul: multi-threaded is faster than single-threaded", async () => {
  const single = await runWasmChild(scratch, 1, 30_000, 9);
  const multi = await runWasmChild(scratch, availableParallelism(), 30_000, 9);
  expect(single.code, single.stderr).toBe(0);
  expect(multi.code, multi.stderr).toBe(0);
  const [one, many] = [single.report!.gflops, multi.report!.gflops];
  console.log(`wasm matMul 1024x768x3072: 1 thread ${one.toFixed(1)} GFLOP/s, ${multi.report!.info.threads} threads ${many.toFixed(1)} GFLOP/s (x${(many / one).toFixed(2)})`);
  expect(many).toBeGreaterThan(1.3 * one);
});
