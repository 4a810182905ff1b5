import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Test helper (not part of the kit): runs the backend sources in a fresh Node process through tsx. */
const here = dirname(dirname(fileURLToPath(import.meta.url)));
const repoRoot = resolve(here, "../../../..");

export interface ChildReport {
  info: { name: string; threads: number; description: string };
  logs: string[];
  gflops: number;
  /** CPU seconds each OS thread of the process spent during the benchmark (Linux /proc), largest first. */
  threadCpu: number[];
}

/**
 * A separate Node process (sources through tsx) that initialises wasm, times a matMul and just
 * returns. It reports the CPU time of each of its OS threads during the benchmark (from
 * /proc/self/task/<tid>/stat, utime + stime), which tells how many threads computed whatever
 * else loads the machine.
 */
const CHILD = `
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
const index = process.env.TRANSSEG_BACKEND_INDEX;
const { initBackend, benchmarkMatMul } = await import(index);
const tf = createRequire(index)("@tensorflow/tfjs");
const ticks = () => new Map(!existsSync("/proc/self/task") ? [] : readdirSync("/proc/self/task").flatMap((tid) => {
  try {
    const fields = readFileSync("/proc/self/task/" + tid + "/stat", "utf8").split(") ")[1].split(" ");
    return [[tid, Number(fields[11]) + Number(fields[12])]];
  } catch {
    return []; // a thread that ended meanwhile
  }
}));
const logs = [];
const info = await initBackend("wasm", { threads: Number(process.env.TRANSSEG_THREADS), wasmThreadsTimeoutMs: Number(process.env.TRANSSEG_TIMEOUT_MS), log: (m) => logs.push(m) });
const bench = benchmarkMatMul({ repeats: Number(process.env.TRANSSEG_REPEATS), warmup: 1 });
const a = tf.randomNormal([1024, 768]);
const b = tf.randomNormal([768, 3072]);
const before = ticks();
for (let i = 0; i < 4; i++) tf.matMul(a, b).dispose();
tf.sum(a).dataSync();
const threadCpu = [...ticks()].map(([tid, t]) => (t - (before.get(tid) ?? 0)) / 100).sort((x, y) => y - x);
console.log(JSON.stringify({ info, logs, gflops: bench.gflops, threadCpu }));
`;

/**
 * Threads that did at least 15 % of the busiest thread's CPU time during four matMuls (inputs
 * made beforehand, so V8's helper threads stay idle).
 */
export const busyThreads = (report: ChildReport): number => report.threadCpu.filter((t) => t >= 0.15 * report.threadCpu[0]!).length;


export async function runWasmChild(scratch: string, threads: number, timeoutMs = 30_000, repeats = 3): Promise<{ code: number | null; signal: string | null; seconds: number; report: ChildReport | undefined; stderr: string }> {
  const script = join(scratch, "child.mjs");
  writeFileSync(script, CHILD);
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: repoRoot,
    env: { ...process.env, TRANSSEG_BACKEND_INDEX: pathToFileURL(join(here, "index.ts")).href, TRANSSEG_THREADS: String(threads), TRANSSEG_TIMEOUT_MS: String(timeoutMs), TRANSSEG_REPEATS: String(repeats) },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 60_000,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const [code, signal] = await new Promise<[number | null, string | null]>((done) => child.on("close", (c, s) => done([c, s])));
  const line = stdout.trim().split("\n").at(-1);
  const report = line?.startsWith("{") ? (JSON.parse(line) as ChildReport) : undefined;
  return { code, signal, seconds: (performance.now() - started) / 1000, report, stderr: stderr.slice(-2000) };
}

