import * as tf from "@tensorflow/tfjs";
import { BackendUnavailableError, firstLine } from "../errors.js";
import { loadOptionalPackage } from "../load-package.js";
import { registerKernelFixes } from "../register-wasm-kernels.js";
import type { BackendContext, BackendPlugin, BackendSetup } from "../types.js";
import { createThreadedWasmBackend, threadsUnsupportedReason, type WasmPackage } from "../wasm/threaded-backend.js";

const SPECIFIER = "@tensorflow/tfjs-backend-wasm";
/** The priority tfjs-backend-wasm registers its factory with. */
const WASM_PRIORITY = 2;

interface WasmBackendInstance {
  wasm?: { tfjs?: { getThreadsCount?: () => number } };
}

function describe(threads: number, note: string): string {
  return `wasm: XNNPACK SIMD, ${threads} thread${threads === 1 ? "" : "s"}${note}`;
}

async function activate(): Promise<void> {
  if (!(await tf.setBackend("wasm"))) throw new BackendUnavailableError("wasm", "tf.setBackend(\"wasm\") failed (see the messages above)");
}

/**
 * Multi-threaded when `threads > 1` (the threaded-SIMD build on Node worker threads, see
 * `wasm/threaded-backend.ts`); falls back to the package's single-threaded SIMD build, with a
 * logged reason, if that fails. Registers the kernels the models need (`registerKernelFixes("wasm")`).
 */
async function initWasm(context: BackendContext): Promise<BackendSetup> {
  const pkg = (await loadOptionalPackage(context.loader, "wasm", SPECIFIER, `pnpm add ${SPECIFIER}@${tf.version_core}`)) as WasmPackage;
  if (typeof pkg.BackendWasm !== "function" || typeof pkg.setThreadsCount !== "function") {
    throw new BackendUnavailableError("wasm", `${SPECIFIER} has no BackendWasm / setThreadsCount export (expected version ${tf.version_core})`);
  }
  registerKernelFixes("wasm");

  const existing = tf.engine().registry["wasm"] as WasmBackendInstance | undefined;
  if (existing !== undefined) {
    const threads = existing.wasm?.tfjs?.getThreadsCount?.() ?? 1;
    if (threads !== context.threads) context.log(`wasm was already initialised in this process with ${threads} thread(s); keeping it (threads can only be chosen before the first initialisation)`);
    await activate();
    return { threads, description: describe(threads, " (initialised earlier in this process)") };
  }

  let note = "";
  if (context.threads > 1) {
    const unsupported = await threadsUnsupportedReason(tf.env().getAsync("WASM_HAS_SIMD_SUPPORT") as Promise<boolean>);
    const stock = tf.findBackendFactory("wasm");
    let replaced = false;
    try {
      if (unsupported !== undefined) throw new Error(unsupported);
      const threaded = await createThreadedWasmBackend(pkg, context.threads, context.wasmThreadsTimeoutMs);
      replaced = true;
      tf.removeBackend("wasm");
      tf.registerBackend("wasm", () => threaded.backend, WASM_PRIORITY);
      await activate();
      if (threaded.threads !== context.threads) context.log(`wasm: asked for ${context.threads} threads, the runtime uses ${threaded.threads}`);
      return { threads: threaded.threads, description: describe(threaded.threads, " (threaded-SIMD build on Node worker threads)") };
    } catch (error) {
      if (replaced) {
        tf.removeBackend("wasm");
        if (stock !== null) tf.registerBackend("wasm", stock, WASM_PRIORITY);
      }
      const reason = firstLine(error);
      context.log(`wasm: multi-threading failed, falling back to one thread: ${reason}`);
      note = ` (single-threaded fallback: ${reason})`;
    }
  }
  pkg.setThreadsCount(1);
  await activate();
  return { threads: 1, description: describe(1, note) };
}

/** TensorFlow.js's WebAssembly backend (XNNPACK): no native install, SIMD, multi-threaded in Node here. */
export const wasmBackend = {
  id: "wasm",
  tfName: "wasm",
  description: "WebAssembly + XNNPACK (@tensorflow/tfjs-backend-wasm), SIMD, multi-threaded",
  packageName: SPECIFIER,
  speed: 20,
  init: initWasm,
} as const satisfies BackendPlugin;
