export type {
  BackendContext,
  BackendId,
  BackendInfo,
  BackendLogger,
  BackendPlugin,
  BackendRegistry,
  BackendRequest,
  BackendSetup,
  InitBackendOptions,
  ModuleLoader,
  SkippedBackend,
} from "./types.js";
export { BackendUnavailableError } from "./errors.js";
export { initBackend } from "./init-backend.js";
export { chooseWasmThreads, LARGE_STEP_SECONDS, measureTrainStep, threadCacheKey, THREAD_CACHE_FILE, type ThreadChoice, type ThreadChoiceOptions } from "./thread-choice.js";
export { builtinBackends } from "./registry.js";
export { cpuBackend } from "./backends/cpu.js";
export { tensorflowBackend } from "./backends/tensorflow.js";
export { tensorflowGpuBackend } from "./backends/tensorflow-gpu.js";
export { wasmBackend } from "./backends/wasm.js";
export { kernelFixes, originalKernel, registerKernelFixes, withOriginalKernel, type FixedBackend } from "./register-wasm-kernels.js";
export { avgPoolGrad, type AvgPoolGradAttrs } from "./kernels/avg-pool-grad.js";
export { maxPoolGrad, type MaxPoolGradAttrs } from "./kernels/max-pool-grad.js";
export { resizeBilinearGrad, type ResizeBilinearGradAttrs } from "./kernels/resize-bilinear-grad.js";
export { benchmarkMatMul, type MatMulBenchmark, type MatMulBenchmarkOptions } from "./matmul-benchmark.js";
export { conv2dBackpropFilter, type Conv2DBackpropFilterAttrs } from "./kernels/conv2d-backprop-filter.js";
export { conv2dBackpropInput, type Conv2DBackpropInputAttrs } from "./kernels/conv2d-backprop-input.js";
export { flipFilterSwapChannels } from "./kernels/flip-filter.js";
export { identityKernel } from "./kernels/identity.js";
export { conv3dBackpropFilter, conv3dBackpropInput, type Conv3DBackpropFilterAttrs, type Conv3DBackpropInputAttrs } from "./kernels/conv3d-backprop.js";
export { unsortedSegmentSum } from "./kernels/unsorted-segment-sum.js";
