export { onnxRunner } from "./onnx-runner.js";
