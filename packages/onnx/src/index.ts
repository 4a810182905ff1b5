export { exportOnnx, writeOnnx, planOnnxModel, type ExportOnnxOptions, type OnnxModelPlan } from "./export.js";
export type { RelativeBiasMode } from "./encoder-graph.js";
export type { OnnxDecoder, OnnxDecoderContext } from "./decoder.js";
export { builtinOnnxDecoders } from "./decoders/registry.js";
export { upernetOnnxDecoder } from "./decoders/upernet.js";
export { setrPupOnnxDecoder } from "./decoders/setr-pup.js";
export { convtransOnnxDecoder } from "./decoders/convtrans.js";
export { unetrOnnxDecoder } from "./decoders/unetr.js";
export { GraphBuilder, floatAttr, type AttrValue, type Dim } from "./graph-builder.js";
export { TensorSource, type TensorSpec } from "./tensors.js";
export { DEFAULT_OPSET, IR_VERSION, MAX_OPSET, MIN_OPSET } from "./proto.js";
export { createOnnxSession, DeviceUnavailableError, onnxDevices, type OnnxDevice, type OnnxRunResult, type OnnxSegmenter, type OnnxSessionOptions } from "./session.js";
export { syntheticCheckpoint } from "./synthetic.js";
export { benchmarkOnnx, BEIT_BASE_UPERNET_512, type OnnxBenchmarkBatch, type OnnxBenchmarkOptions, type OnnxBenchmarkResult } from "./bench.js";
export { onnxOps } from "./graph-ops.js";
export { torchBaseline, type TorchBaseline, type TorchBaselineOptions } from "./bench-torch.js";
export * from "./inference/index.js";
// Engine-agnostic whole-volume prediction and the runner interface (from @transseg/model), so that inference needs this package only.
export { predictVolume, type PredictVolumeOptions, type VolumePrediction, type WindowRunner } from "@transseg/model";
