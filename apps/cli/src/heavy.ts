/**
 * The engine packages load TensorFlow.js (`@transseg/vit3d`) and ONNX Runtime (`@transseg/onnx`)
 * (~0.5 s): commands import them when they run, so `inspect`, `inflate`, `info`, `synth` and
 * `eval` start fast, and `predict` on ONNX Runtime never loads TensorFlow.js.
 */
export const loadVit3d = () => import("@transseg/vit3d");
export const loadOnnx = () => import("@transseg/onnx");

/** Encoder presets as the usage texts list them (a test keeps this equal to vit3d's `encoderPresets` and `swinPresets`). */
export const ENCODER_PRESET_IDS = ["beit-tiny", "beit-small", "beit-base", "beit-large", "vit-tiny", "vit-small", "vit-base", "vit-large", "swin-tiny", "swin-small", "swin-base", "swin3d-tiny", "swin3d-small", "swin3d-base"] as const;
