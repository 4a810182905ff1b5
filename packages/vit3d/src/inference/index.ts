export { tfjsRunner, type WindowRunner } from "./runner.js";
export { predictVolume, type PredictVolumeOptions, type VolumePrediction } from "./predict-volume.js";
