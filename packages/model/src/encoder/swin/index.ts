export { isSwinConfig, isSwinKind, normalizeSwinConfig, SWIN_KINDS, swinInputDepth, swinMlpHidden, swinPatch, swinStageDims, swinStageGrids, swinTokenGrid, type SwinEncoderConfig, type SwinEncoderConfigInput, type SwinKind } from "./config.js";
export { swinEncoderParams, swinTableRows } from "./params.js";
export { swinPresets, type SwinPreset } from "./presets.js";
export { shiftedWindowMask, shrunkRelativeIndex, stageWindow, windowRelativeIndex, type StageWindow } from "./windows.js";
export { hierarchicalEncoder, upernetSwintOptions, upernetSwintSpec, type UperSwinOptions } from "../../decoders/upernet-swint.js";
