import { batchNormAffine, conv, convModule, convNd, convTranspose2x2, convTransposeStrided } from "./conv.js";
import { batchShape, gelu, instanceNorm, layerNorm, linear, reshapeBatch, resizeBilinear } from "./ops.js";
import { adaptiveAvgPool } from "./pooling.js";

/** The graph fragments the built-in encoder and decoder use, for writing `OnnxDecoder` plugins. */
export const onnxOps = Object.freeze({ linear, layerNorm, gelu, resizeBilinear, batchShape, reshapeBatch, conv, convModule, convTranspose2x2, convNd, convTransposeStrided, instanceNorm, batchNormAffine, adaptiveAvgPool });
