export { tfjsRunner, type WindowRunner } from "./runner.js";
export { onnxRunner } from "./onnx-runner.js";
export { predictVolume, type PredictVolumeOptions, type VolumePrediction } from "./predict-volume.js";
