/**
 * The official `onnx.proto` (ONNX 1.10) as protobufjs static code, from `onnx-proto`. The package
 * is CommonJS whose `module.exports` is the root namespace, so under Node ESM only its default
 * export exists at run time: `onnxProto.onnx` is the value, `onnx` the types.
 */
import onnxProto from "onnx-proto";
import type { onnx } from "onnx-proto";

export type { onnx };
export const proto = onnxProto.onnx;

/** ONNX IR version written: 8 (ONNX 1.10–1.12), which Debian's onnx 1.12 checker accepts. */
export const IR_VERSION = 8;
/** Supported `ai.onnx` opsets: 13 (Split/Squeeze inputs, Resize v13) up to 17 (LayerNormalization). */
export const MIN_OPSET = 13;
export const MAX_OPSET = 17;
export const DEFAULT_OPSET = 17;
