import { createHash } from "node:crypto";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";

/** How `chooseWasmThreads` decided. */
export interface ThreadChoice {
  readonly threads: number;
  /** `option`: given; `single-core`: nothing to choose; `cache`: measured earlier; `measured`: now. */
  readonly source: "option" | "single-core" | "cache" | "measured";
  /** Seconds per training step by thread count, when measured (now or earlier). */
  readonly seconds?: Readonly<Record<string, number>>;
}

export interface ThreadChoiceOptions {
  /** An explicit thread count (`--threads`): returned as is. */
  readonly threads?: number;
  /** Cores to choose up to (default `availableParallelism()`). */
  readonly cores?: number;
  /** Cache folder (default `$XDG_CACHE_HOME/transseg` or `~/.cache/transseg`). */
  readonly cacheDir?: string;
  /** Seconds per training step at a thread count (default: a child process, `measureTrainStep`). */
  readonly measure?: (threads: number) => Promise<number>;
  /** What identifies this machine and runtime in the cache key (default: CPU model, cores, Node and TensorFlow.js versions). */
  readonly machine?: string;
  readonly log?: (message: string) => void;
}

/**
 * A training step (batch 2) that takes at least this long on all cores is not timed on one: its
 * ops are large enough for threads to pay (measured here: a 47 ms step is faster on one thread,
 * 1.5 s steps gain ~1.6× from two), and the probe stops after its first step.
 */
export const LARGE_STEP_SECONDS = 1;

/** The cache file: one decision per model configuration and machine. */
export const THREAD_CACHE_FILE = "wasm-threads.json";

interface CacheEntry {
  readonly threads: number;
  readonly seconds: Record<string, number>;
}

function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "transseg");
}

function defaultMachine(cores: number): string {
  return `${cpus()[0]?.model ?? "unknown cpu"}|${cores} cores|node ${process.versions.node}|tfjs ${tf.version_core}`;
}

/** The cache key of a model configuration (any JSON value, keys sorted) on a machine. */
export function threadCacheKey(config: unknown, machine: string): string {
  const canonical = (v: unknown): unknown => (Array.isArray(v) ? v.map(canonical) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, canonical(x)])) : v);
  return createHash("sha256").update(JSON.stringify([canonical(config), machine])).digest("hex").slice(0, 32);
}

function readCache(file: string): Record<string, CacheEntry> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, CacheEntry>) : {};
  } catch {
    return {}; // a damaged cache is measured again and rewritten
  }
}

/**
 * The wasm thread count for training a model configuration: wasm's threads are fixed when the
 * runtime starts, and per-op thread synchronisation makes small models slower on all cores than
 * on one (tiny: 55 vs 47 ms a step on 2 cores) while large ones gain. So, unless `threads` is
 * given, measure once — a few training steps at 1 thread and at all cores, each in its own
 * process — keep the faster, and cache the decision by configuration and machine
 * (`~/.cache/transseg/wasm-threads.json`, written atomically). A cache that cannot be written
 * only costs a new measurement next time.
 */
export async function chooseWasmThreads(config: unknown, options: ThreadChoiceOptions = {}): Promise<ThreadChoice> {
  if (options.threads !== undefined) {
    if (!Number.isInteger(options.threads) || options.threads < 1) throw new Error(`chooseWasmThreads: threads must be a positive integer, got ${String(options.threads)}`);
    return { threads: options.threads, source: "option" };
  }
  const cores = options.cores ?? availableParallelism();
  if (cores <= 1) return { threads: 1, source: "single-core" };
  const dir = options.cacheDir ?? defaultCacheDir();
  const file = join(dir, THREAD_CACHE_FILE);
  const key = threadCacheKey(config, options.machine ?? defaultMachine(cores));
  const hit = readCache(file)[key];
  if (hit && Number.isInteger(hit.threads) && hit.threads >= 1 && hit.threads <= cores) return { threads: hit.threads, source: "cache", seconds: hit.seconds };
  const measure = options.measure ?? ((threads: number) => measureTrainStep(config, threads, LARGE_STEP_SECONDS));
  const seconds: Record<string, number> = {};
  seconds[cores] = await measure(cores);
  // a step this long is made of ops large enough for threads to pay: no need to time one thread
  if (seconds[cores]! < LARGE_STEP_SECONDS) seconds[1] = await measure(1);
  const threads = seconds[1] === undefined || seconds[cores]! < seconds[1] ? cores : 1;
  options.log?.(`wasm threads: ${threads} (a training step took ${Object.entries(seconds).map(([t, s]) => `${(s * 1000).toFixed(0)} ms at ${t}`).join(", ")}; cached in ${file})`);
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ ...readCache(file), [key]: { threads, seconds } }, null, 1)}\n`);
    renameSync(tmp, file);
  } catch (error) {
    options.log?.(`wasm threads: could not write ${file}: ${(error as Error).message.split("\n")[0]}`);
  }
  return { threads, source: "measured", seconds };
}

/**
 * Seconds per training step (batch 2, DiceFocal, AdamW; 2 warm-up and 3 timed steps) of the
 * model configuration `config` (a `SegConfigInput`) on wasm with `threads` threads, in a child
 * process (`thread-probe.ts`). When the first step (warm-up included) takes `stopAbove` seconds or
 * more, that step's time is returned at once.
 */
export function measureTrainStep(config: unknown, threads: number, stopAbove = Number.POSITIVE_INFINITY): Promise<number> {
  const here = import.meta.filename;
  const source = here.endsWith(".ts");
  const probe = join(dirname(here), `thread-probe${source ? ".ts" : ".js"}`);
  const args = [...(source ? ["--import", "tsx", "--conditions=source"] : []), probe, JSON.stringify({ config, threads, ...(Number.isFinite(stopAbove) ? { stopAbove } : {}) })];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const last = out.trim().split("\n").pop() ?? "";
      const seconds = code === 0 ? (JSON.parse(last || "null") as { seconds?: number } | null)?.seconds : undefined;
      if (typeof seconds === "number") resolve(seconds);
      else {
        const lines = err.trim().split("\n");
        const reason = lines.findLast((l) => /^\w*Error\b/.test(l)) ?? lines.at(-1) ?? "";
        reject(new Error(`${basename(probe)} (${threads} threads) failed: ${reason || `exit code ${code}`}`));
      }
    });
  });
}
