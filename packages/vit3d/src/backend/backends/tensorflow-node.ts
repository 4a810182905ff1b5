import * as tf from "@tensorflow/tfjs";
import { availableParallelism } from "node:os";
import { BackendUnavailableError } from "../errors.js";
import { loadOptionalPackage } from "../load-package.js";
import type { BackendContext, BackendId, BackendSetup } from "../types.js";

/**
 * Shared by `tensorflow` and `tensorflow-gpu`: importing @tensorflow/tfjs-node(-gpu) registers a
 * TensorFlow.js backend named "tensorflow" on the shared engine; activate it.
 */
export async function initTensorflowNode(context: BackendContext, id: BackendId, specifier: string, what: string): Promise<BackendSetup> {
  await loadOptionalPackage(context.loader, id, specifier, `pnpm add ${specifier}@${tf.version_core}`);
  if (tf.findBackendFactory("tensorflow") === null) {
    throw new BackendUnavailableError(id, `${specifier} loaded but registered no "tensorflow" backend`);
  }
  if (!(await tf.setBackend("tensorflow"))) {
    throw new BackendUnavailableError(id, `${specifier} loaded but its "tensorflow" backend failed to initialise`);
  }
  const threads = availableParallelism();
  return { threads, description: `${id}: ${what} (${specifier}), TensorFlow thread pools over ${threads} cores` };
}
