/** Names accepted by `initBackend`. `auto` picks the fastest backend that is installed. */
export type BackendId = "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";
export type BackendRequest = "auto" | BackendId;

/** Imports a package by name; `(s) => import(s)` by default, injectable for tests. */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

/** Receives one-line notices (fallbacks, ignored options). Defaults to `console.warn`. */
export type BackendLogger = (message: string) => void;

export interface InitBackendOptions {
  /** wasm only: worker threads for XNNPACK (default: all logical cores, `os.availableParallelism()`). 1 = single-threaded. */
  readonly threads?: number;
  /**
   * Without `threads`: called with the backend about to start (each one `auto` tries), before it
   * starts; a number is its thread count, `undefined` keeps the default (all cores). E.g.
   * `chooseWasmThreads` for wasm, whose threads are fixed when its runtime starts.
   */
  readonly chooseThreads?: (backend: BackendId) => Promise<number | undefined>;
  /** How optional packages are imported (default: dynamic `import()`). */
  readonly loader?: ModuleLoader;
  /** Where notices go (default: `console.warn` with a `[transseg]` prefix). */
  readonly log?: BackendLogger;
  /** wasm only: give up on the multi-threaded build after this long and fall back (default 30 000 ms). */
  readonly wasmThreadsTimeoutMs?: number;
}

/** A backend that `auto` did not take, and why. */
export interface SkippedBackend {
  readonly name: BackendId;
  readonly reason: string;
}

/** What `initBackend` set up. */
export interface BackendInfo {
  /** The backend now active in TensorFlow.js (`tf.getBackend()` is `tfName`). */
  readonly name: BackendId;
  /** Threads the backend computes with (TensorFlow backends: the logical cores its pools use). */
  readonly threads: number;
  /** One line for humans, e.g. `wasm: XNNPACK SIMD, 2 threads`; with `auto`, also the skipped backends. */
  readonly description: string;
  /** With `auto`: the faster backends that were not taken, with reasons. Empty otherwise. */
  readonly skipped: readonly SkippedBackend[];
}

/** What a backend plugin receives. */
export interface BackendContext {
  readonly threads: number;
  readonly chooseThreads?: (backend: BackendId) => Promise<number | undefined>;
  readonly loader: ModuleLoader;
  readonly log: BackendLogger;
  readonly wasmThreadsTimeoutMs: number;
}

/** What a backend plugin reports after it made itself the active TensorFlow.js backend. */
export interface BackendSetup {
  readonly threads: number;
  readonly description: string;
}

/**
 * One TensorFlow.js backend as a plugin (one file each under `backends/`).
 * `init` loads what the backend needs, activates it with `tf.setBackend(tfName)` and reports;
 * it throws `BackendUnavailableError` when the backend cannot run here (not installed, no GPU, …).
 */
export interface BackendPlugin {
  readonly id: BackendId;
  /** The name TensorFlow.js knows the backend by. */
  readonly tfName: string;
  readonly description: string;
  /** The npm package that provides it (`undefined` = always available). */
  readonly packageName: string | undefined;
  /** Larger = faster; `auto` tries plugins in decreasing speed. */
  readonly speed: number;
  init(context: BackendContext): Promise<BackendSetup>;
}

export type BackendRegistry = Readonly<Record<string, BackendPlugin>>;
