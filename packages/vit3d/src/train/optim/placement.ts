import * as tf from "@tensorflow/tfjs";
import { resolveId } from "@transseg/model";

/**
 * Where the optimizer arithmetic (gradient accumulation, clipping, AdamW) runs:
 * - `host`: plain loops over Float32Arrays (gradients read once, one `assign` per parameter);
 * - `backend`: TensorFlow.js ops on the backend's tensors;
 * - `auto` (default): `host` on backends that keep their data in this process (`cpu`, `wasm`),
 *   where reading a tensor is a copy and every kernel costs ~15–20 µs of dispatch, `backend`
 *   elsewhere (e.g. `tensorflow`, where a read is a device sync).
 */
export type OptimizerPlacement = "auto" | "host" | "backend";

const placements = { auto: "auto", host: "host", backend: "backend" } as const satisfies Record<OptimizerPlacement, OptimizerPlacement>;

/** Backends whose tensors live in this process's memory. */
const HOST_BACKENDS: ReadonlySet<string> = new Set(["cpu", "wasm"]);

/** Validates a placement id (throws naming the nearest valid one). */
export function resolvePlacement(id: string): OptimizerPlacement {
  return resolveId("optimizer placement", id, placements);
}

/** Whether `placement` means host arithmetic on `backend` (default: the active backend). */
export function runsOnHost(placement: OptimizerPlacement, backend: string = tf.getBackend()): boolean {
  return placement === "host" || (placement === "auto" && HOST_BACKENDS.has(backend));
}
