import * as tf from "@tensorflow/tfjs";
import { ATTENTION, ATTENTION_GRAD, ATTENTION_NO_BIAS, attentionGradConfigs, attentionGradKernel, attentionKernel } from "./attention.js";
import { BATCH_NORM_RELU, BATCH_NORM_RELU_GRAD, batchNormReluGradConfig, batchNormReluGradKernel, batchNormReluKernel } from "./batch-norm-relu.js";
import { BIAS_GELU, BIAS_GELU_GRAD, biasGeluGradConfig, biasGeluGradKernel, biasGeluKernel } from "./bias-gelu.js";
import { LAYER_NORM, LAYER_NORM_GRAD, layerNormGradConfig, layerNormGradKernel, layerNormKernel } from "./layer-norm.js";

export { ATTENTION, ATTENTION_GRAD, ATTENTION_NO_BIAS, BATCH_NORM_RELU, BATCH_NORM_RELU_GRAD, BIAS_GELU, BIAS_GELU_GRAD, LAYER_NORM, LAYER_NORM_GRAD };
export type { AttentionAttrs } from "./attention.js";

/**
 * The fused hot-path kernels (JavaScript over the wasm heap, or over the cpu backend's arrays):
 * LayerNorm, bias + GELU, multi-head attention and BatchNorm + ReLU, each with its backward as one kernel.
 */
export function fusedKernels(backendName: string): tf.KernelConfig[] {
  return [
    layerNormKernel(backendName),
    layerNormGradKernel(backendName),
    biasGeluKernel(backendName),
    biasGeluGradKernel(backendName),
    attentionKernel(backendName, ATTENTION),
    attentionKernel(backendName, ATTENTION_NO_BIAS),
    attentionGradKernel(backendName),
    batchNormReluKernel(backendName),
    batchNormReluGradKernel(backendName),
  ];
}

/** Their gradients (backend-independent: each runs the backward kernel). */
export const fusedGradients: readonly tf.GradConfig[] = [layerNormGradConfig, biasGeluGradConfig, ...attentionGradConfigs, batchNormReluGradConfig];

/** Registers `fusedGradients` where no gradient of that name is registered yet; idempotent. */
export function registerFusedGradients(): void {
  for (const g of fusedGradients) if (tf.getGradient(g.kernelName) === undefined) tf.registerGradient(g);
}

/** Whether the active backend has kernel `kernelName` (the fused ops fall back to compositions when not). */
export function backendHasKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}
