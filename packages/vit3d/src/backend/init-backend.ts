import * as tf from "@tensorflow/tfjs";
import { availableParallelism } from "node:os";
import { UnknownIdError } from "@transseg/weights";
import { BackendUnavailableError, firstLine } from "./errors.js";
import { builtinBackends } from "./registry.js";
import type { BackendContext, BackendInfo, BackendPlugin, BackendRegistry, InitBackendOptions, SkippedBackend } from "./types.js";

const defaultLoader = (specifier: string): Promise<unknown> => import(specifier);
const defaultLog = (message: string): void => console.warn(`[transseg] ${message}`);

/** Results of earlier calls, per registry, by request and thread count: `initBackend` is idempotent. */
const initialised = new WeakMap<BackendRegistry, Map<string, Promise<BackendInfo>>>();

/** A repeated request returns the first result, re-activating its backend if something switched away. */
async function reactivate(info: BackendInfo, registry: BackendRegistry): Promise<BackendInfo> {
  const tfName = registry[info.name]?.tfName;
  if (tfName !== undefined && tf.getBackend() !== tfName && !(await tf.setBackend(tfName))) {
    throw new BackendUnavailableError(info.name, `tf.setBackend("${tfName}") failed`);
  }
  return info;
}

function context(options: InitBackendOptions): BackendContext {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`initBackend: threads must be a positive integer, got ${String(options.threads)}`);
  return {
    threads,
    ...(options.threads === undefined && options.chooseThreads ? { chooseThreads: options.chooseThreads } : {}),
    loader: options.loader ?? defaultLoader,
    log: options.log ?? defaultLog,
    wasmThreadsTimeoutMs: options.wasmThreadsTimeoutMs ?? 30_000,
  };
}

async function initOne(plugin: BackendPlugin, ctx: BackendContext, skipped: readonly SkippedBackend[]): Promise<BackendInfo> {
  const chosen = ctx.chooseThreads ? await ctx.chooseThreads(plugin.id) : undefined;
  if (chosen !== undefined && (!Number.isInteger(chosen) || chosen < 1)) throw new Error(`initBackend: chooseThreads gave ${String(chosen)} for ${plugin.id}, not a positive integer`);
  const setup = await plugin.init(chosen === undefined ? ctx : { ...ctx, threads: chosen });
  const skips = skipped.length === 0 ? "" : `; skipped ${skipped.map((s) => `${s.name}: ${s.reason}`).join("; ")}`;
  return { name: plugin.id, threads: setup.threads, description: `${setup.description}${skips}`, skipped };
}

async function initAuto(registry: BackendRegistry, ctx: BackendContext): Promise<BackendInfo> {
  const skipped: SkippedBackend[] = [];
  const candidates = Object.values(registry).sort((a, b) => b.speed - a.speed);
  for (const plugin of candidates) {
    try {
      return await initOne(plugin, ctx, skipped);
    } catch (error) {
      const reason = error instanceof BackendUnavailableError ? error.reason : firstLine(error);
      skipped.push({ name: plugin.id, reason });
    }
  }
  throw new Error(`no TensorFlow.js backend could be initialised: ${skipped.map((s) => `${s.name}: ${s.reason}`).join("; ")}`);
}

/**
 * Makes a TensorFlow.js backend the active one and reports it.
 * - `"auto"`: the fastest that works here, in the order tensorflow-gpu, tensorflow, wasm, cpu;
 *   `skipped` (and the description) say why faster ones were not taken.
 * - an explicit id: that backend, or a one-line `BackendUnavailableError` saying what to install.
 * - anything else: an error naming the nearest valid id and listing all.
 * Idempotent: the same request (and thread count) returns the same result without
 * initialising again. `registry` defaults to `builtinBackends`.
 */
export function initBackend(name: string, options: InitBackendOptions = {}, registry: BackendRegistry = builtinBackends): Promise<BackendInfo> {
  if (name !== "auto" && !Object.hasOwn(registry, name)) {
    return Promise.reject(new UnknownIdError("backend", name, ["auto", ...Object.keys(registry)]));
  }
  let ctx: BackendContext;
  try {
    ctx = context(options);
  } catch (error) {
    return Promise.reject(error as Error);
  }
  const key = `${name}:${ctx.chooseThreads ? "chosen" : ctx.threads}`;
  let results = initialised.get(registry);
  if (results === undefined) initialised.set(registry, (results = new Map()));
  const cached = results.get(key);
  if (cached !== undefined) return cached.then((info) => reactivate(info, registry));
  const started = name === "auto" ? initAuto(registry, ctx) : initOne(registry[name]!, ctx, []);
  results.set(key, started);
  started.catch(() => results.delete(key));
  return started;
}
