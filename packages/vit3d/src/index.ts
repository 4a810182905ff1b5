// The engine-free model description lives in @transseg/model; re-exported so that this package's API stays as it was.
export * from "@transseg/model";
export { ParamStore, type Param, type ParamGetter } from "./params.js";
export { encoderForward, patchEmbed, type EncoderRuntime } from "./encoder/encoder.js";
export type { Decoder, DecoderContext, DecoderForwardOptions } from "./decoders/decoder.js";
export { builtinDecoders } from "./decoders/registry.js";
export { upernetDecoder } from "./decoders/upernet.js";
export { setrPupDecoder } from "./decoders/setr-pup.js";
export { convtransDecoder } from "./decoders/convtrans.js";
export { unetrDecoder, type VolumetricDecoder } from "./decoders/unetr.js";
export { upernetSwintDecoder } from "./decoders/upernet-swint.js";
export { swinForward, swinPatchEmbed, swinStageMaps, type SwinForwardOptions } from "./encoder/swin/forward.js";
export { SegmentationModel, type ForwardOptions, type ForwardResult } from "./model.js";
export { createSegmentationModel, loadSegmentationModel, type CreateSegmentationModelOptions, type LoadSegmentationModelOptions, type ModelRegistries } from "./load.js";
export { countFlops, countParams, encoderMacs, type EncoderMacs, type ParamCount } from "./flops.js";
export { countSwinFlops, swinMacs, type SwinFlopsConfig, type SwinMacs } from "./flops-swin.js";
export * from "./backend/index.js";
export * from "./inference/index.js";
export * from "./train/index.js";
