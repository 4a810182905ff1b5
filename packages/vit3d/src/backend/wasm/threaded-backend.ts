import type * as tf from "@tensorflow/tfjs";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Worker as NodeWorker } from "node:worker_threads";
import { firstLine } from "../errors.js";
import { ensureWorkerLoader } from "./worker-loader.js";

const require = createRequire(import.meta.url);

export type WasmPackage = typeof import("@tensorflow/tfjs-backend-wasm");

/** The parts of an Emscripten pthread worker (a Node `Worker`) touched here. */
interface PthreadWorker {
  ref(): unknown;
  unref(): unknown;
  terminate(): unknown;
  onerror?: (event: unknown) => void;
}

/** The parts of Emscripten's `PThread` runtime object touched here (tfjs-backend-wasm 4.22 glue). */
interface PthreadRuntime {
  unusedWorkers: PthreadWorker[];
  runningWorkers: PthreadWorker[];
  allocateUnusedWorker(): void;
  loadWasmModuleToWorker(worker: PthreadWorker, onLoaded?: unknown): void;
}

/** The Emscripten module: the config object passed to the factory, filled in by the glue. */
interface EmscriptenModule {
  locateFile(path: string, prefix: string): string;
  preRun: Array<() => void>;
  onRuntimeInitialized: () => void;
  onAbort: (what: unknown) => void;
  PThread?: PthreadRuntime;
  cwrap?: (name: string, returnType: string | null, argTypes: string[]) => (...args: number[]) => number;
  tfjs?: Record<string, unknown>;
}

export interface ThreadedWasm {
  readonly backend: tf.KernelBackend;
  readonly threads: number;
}

/** Files of the threaded-SIMD build shipped in @tensorflow/tfjs-backend-wasm's `wasm-out/`. */
export function threadedBuildFiles(): { glue: string; workerContents: string; wasm: string } {
  const root = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json"));
  const base = join(root, "wasm-out", "tfjs-backend-wasm-threaded-simd");
  const files = { glue: `${base}.js`, workerContents: `${base}.worker.js`, wasm: `${base}.wasm` };
  for (const file of Object.values(files)) if (!existsSync(file)) throw new Error(`${file}: missing from @tensorflow/tfjs-backend-wasm`);
  return files;
}

/** Why the threaded-SIMD build cannot run in this process, or `undefined` when it can. */
export async function threadsUnsupportedReason(simd: Promise<boolean>): Promise<string | undefined> {
  if (typeof SharedArrayBuffer !== "function") return "SharedArrayBuffer is not available";
  if (!(await simd)) return "this WebAssembly engine has no SIMD (the threaded build needs it)";
  return undefined;
}

type OsModule = { cpus: () => unknown[] };

/**
 * Instantiates tfjs-backend-wasm's threaded-SIMD build in Node and wraps it in the package's
 * `BackendWasm`, computing with `threads` threads. What differs from the package's own (browser)
 * path, which Node cannot take:
 * - pthread workers start from a real file (`ensureWorkerLoader`), not a `blob:` URL;
 * - the worker loads the glue from its file path (the glue's own `__filename`), not from a Blob;
 * - `os.cpus()` reports 2 × `threads` while the runtime starts (the C++ side caps the pool at
 *   half the logical cores it sees, i.e. 1 on a 2-core machine); restored before anything else runs;
 * - the pool workers never keep the process alive (`ref` disabled, `unref()`ed), so a script
 *   ends by itself; the glue's process-wide exception listeners and `globalThis.Worker` are removed;
 * - the worker pool holds `threads` workers instead of the glue's fixed 8 (XNNPACK uses
 *   `threads - 1`; they must all exist before it starts, see below).
 * Rejects (after cleaning up its workers) when the runtime fails or is not ready in `timeoutMs`.
 */
export async function createThreadedWasmBackend(pkg: WasmPackage, threads: number, timeoutMs: number): Promise<ThreadedWasm> {
  const files = threadedBuildFiles();
  const loaderFile = ensureWorkerLoader(files.workerContents);
  const factory = require(files.glue) as (module: EmscriptenModule) => Promise<EmscriptenModule>;
  const os = require("node:os") as OsModule;
  const realCpus = os.cpus;
  const restoreCpus = (): void => {
    os.cpus = realCpus;
  };

  let settled = false;
  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = (error) => {
      if (!settled) reject(error);
    };
  });
  failed.catch(() => undefined);

  const module: EmscriptenModule = {
    locateFile: (path, prefix) => (path.endsWith(".worker.js") ? loaderFile : prefix + path),
    preRun: [
      () => {
        const reported = Array.from({ length: 2 * threads }, (_, i) => realCpus()[i % Math.max(1, realCpus().length)]);
        os.cpus = () => reported;
      },
    ],
    onRuntimeInitialized: restoreCpus,
    onAbort: (what) => fail(new Error(`wasm runtime aborted: ${firstLine(what)}`)),
  };

  const listenersBefore = { uncaughtException: process.listeners("uncaughtException"), unhandledRejection: process.listeners("unhandledRejection") };
  const hadWorker = Object.hasOwn(globalThis, "Worker");
  const previousWorker = (globalThis as { Worker?: unknown }).Worker;
  const restoreGlobals = (): void => {
    for (const event of ["uncaughtException", "unhandledRejection"] as const) {
      const before = listenersBefore[event] as unknown[];
      for (const listener of process.listeners(event as "uncaughtException")) {
        if (!before.includes(listener)) process.removeListener(event as "uncaughtException", listener);
      }
    }
    if (hadWorker) (globalThis as { Worker?: unknown }).Worker = previousWorker;
    else delete (globalThis as { Worker?: unknown }).Worker;
  };

  const detach = (worker: PthreadWorker): void => {
    worker.ref = () => worker;
    worker.unref();
  };

  let ready: Promise<EmscriptenModule>;
  try {
    ready = factory(module);
    ready.catch(() => undefined); // raced below; a late rejection must not go unhandled
  } finally {
    restoreGlobals();
  }
  const pthread = module.PThread;
  const terminateAll = (): void => {
    for (const worker of [...(pthread?.unusedWorkers ?? []), ...(pthread?.runningWorkers ?? [])]) void worker.terminate();
  };
  if (pthread === undefined) throw new Error("the threaded wasm glue exposes no PThread runtime (unexpected tfjs-backend-wasm version)");
  pthread.unusedWorkers.forEach(detach);
  const allocate = pthread.allocateUnusedWorker.bind(pthread);
  // The glue pre-starts 8 workers; XNNPACK's pool needs `threads - 1` of them, started before it
  // is created (one started later could only load through the event loop the blocked main
  // thread is not running). Keep `threads` (one spare): fewer workers, faster start, less memory.
  while (pthread.unusedWorkers.length > threads) void pthread.unusedWorkers.pop()!.terminate();
  pthread.allocateUnusedWorker = () => {
    const saved = (globalThis as { Worker?: unknown }).Worker;
    (globalThis as { Worker?: unknown }).Worker = NodeWorker;
    try {
      allocate();
    } finally {
      if (saved === undefined) delete (globalThis as { Worker?: unknown }).Worker;
      else (globalThis as { Worker?: unknown }).Worker = saved;
    }
    const added = pthread.unusedWorkers.at(-1);
    if (added) detach(added);
  };
  while (pthread.unusedWorkers.length < threads) pthread.allocateUnusedWorker();
  const load = pthread.loadWasmModuleToWorker.bind(pthread);
  pthread.loadWasmModuleToWorker = (worker, onLoaded) => {
    load(worker, onLoaded);
    const emscriptenOnError = worker.onerror;
    worker.onerror = (event) => {
      if (!settled) fail(new Error(`a wasm pthread worker failed: ${firstLine((event as { message?: unknown }).message ?? event)}`));
      else emscriptenOnError?.(event);
    };
  };

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the threaded wasm runtime was not ready after ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  timeout.catch(() => undefined);
  try {
    const wasm = await Promise.race([ready, failed, timeout]);
    settled = true;
    const cwrap = wasm.cwrap!;
    wasm.tfjs = {
      init: cwrap("init", null, []),
      initWithThreadsCount: cwrap("init_with_threads_count", null, ["number"]),
      getThreadsCount: cwrap("get_threads_count", "number", []),
      registerTensor: cwrap("register_tensor", null, ["number", "number", "number"]),
      disposeData: cwrap("dispose_data", null, ["number"]),
      dispose: cwrap("dispose", null, []),
    };
    pkg.setThreadsCount(threads);
    const backend = new pkg.BackendWasm(wasm as never) as unknown as tf.KernelBackend;
    const actual = (wasm.tfjs.getThreadsCount as () => number)();
    return { backend, threads: actual };
  } catch (error) {
    settled = true;
    restoreCpus();
    terminateAll();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
