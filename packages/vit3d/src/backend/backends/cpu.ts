import * as tf from "@tensorflow/tfjs";
import { BackendUnavailableError } from "../errors.js";
import { registerKernelFixes } from "../register-wasm-kernels.js";
import type { BackendPlugin } from "../types.js";

/** TensorFlow.js's plain JavaScript backend: always there, slowest (reference for the kernel tests). Registers `kernelFixes.cpu`. */
export const cpuBackend = {
  id: "cpu",
  tfName: "cpu",
  description: "plain JavaScript (@tensorflow/tfjs-backend-cpu, bundled with @tensorflow/tfjs), one thread",
  packageName: undefined,
  speed: 10,
  async init() {
    registerKernelFixes("cpu");
    // The cpu backend greets Node users with a banner recommending tfjs-node; initBackend
    // already says which backend runs and why, so keep stderr to our own messages.
    tf.env().set("PROD", true);
    if (!(await tf.setBackend("cpu"))) throw new BackendUnavailableError("cpu", "tf.setBackend(\"cpu\") failed");
    return { threads: 1, description: "cpu: plain JavaScript, 1 thread" };
  },
} as const satisfies BackendPlugin;
