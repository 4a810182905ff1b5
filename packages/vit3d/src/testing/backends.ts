import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** Backends the test suites run on (single-threaded wasm; the backend package tests threads). */
export const TEST_BACKENDS = ["cpu", "wasm"] as const;
export type TestBackend = (typeof TEST_BACKENDS)[number];

let wasmPathsSet = false;

/**
 * Switches TensorFlow.js to `name` for a test. In Node the wasm backend finds its `.wasm`
 * binaries only through `setWasmPaths` (given the package's `dist/` folder).
 */
export async function useTestBackend(name: TestBackend): Promise<void> {
  if (name === "wasm" && !wasmPathsSet) {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve("@tensorflow/tfjs-backend-wasm/package.json");
    setWasmPaths(join(dirname(pkg), "dist") + "/");
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js backend "${name}" failed to initialise`);
  await tf.ready();
}
