export { exportOnnx, writeOnnx, planOnnxModel, type ExportOnnxOptions, type OnnxModelPlan } from "./export.js";
export type { OnnxDecoder, OnnxDecoderContext } from "./decoder.js";
export { builtinOnnxDecoders } from "./decoders/registry.js";
export { upernetOnnxDecoder } from "./decoders/upernet.js";
export { GraphBuilder, float, type AttrValue, type Dim } from "./graph-builder.js";
export { TensorSource, type TensorSpec } from "./tensors.js";
export { DEFAULT_OPSET, IR_VERSION, MAX_OPSET, MIN_OPSET } from "./proto.js";
export { createOnnxSession, onnxDevices, type OnnxDevice, type OnnxRunResult, type OnnxSegmenter, type OnnxSessionOptions } from "./session.js";
