/**
 * The model package loads TensorFlow.js and ONNX Runtime (~0.5 s): commands import it when they
 * run, so `inspect`, `inflate`, `info`, `synth` and `eval` start fast.
 */
export const loadVit3d = () => import("@transseg/vit3d");

/** Encoder presets as the usage texts list them (a test keeps this equal to vit3d's `encoderPresets`). */
export const ENCODER_PRESET_IDS = ["beit-tiny", "beit-small", "beit-base", "beit-large", "vit-tiny", "vit-small", "vit-base", "vit-large"] as const;
