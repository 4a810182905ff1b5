import { cpuBackend } from "./backends/cpu.js";
import { tensorflowGpuBackend } from "./backends/tensorflow-gpu.js";
import { tensorflowBackend } from "./backends/tensorflow.js";
import { wasmBackend } from "./backends/wasm.js";
import type { BackendRegistry } from "./types.js";

/** The built-in backends, by id. Pass your own map (e.g. `{ ...builtinBackends, mine }`) to `initBackend`. */
export const builtinBackends = Object.freeze({
  "tensorflow-gpu": tensorflowGpuBackend,
  tensorflow: tensorflowBackend,
  wasm: wasmBackend,
  cpu: cpuBackend,
}) satisfies BackendRegistry;
