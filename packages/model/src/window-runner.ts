/**
 * Runs a segmentation model on a batch of windows, whatever the engine (TensorFlow.js in
 * `@transseg/vit3d`'s `tfjsRunner`, ONNX Runtime in `@transseg/onnx`'s `onnxRunner`): windows
 * `[B, C, D, H, W]` in, logits `[B, classes, H, W]` out.
 */
export interface WindowRunner {
  /** What the windows must look like and how many classes come out. */
  readonly inChannels: number;
  readonly window: number;
  readonly img: readonly [number, number];
  readonly classes: number;
  /** A short description for logs, e.g. "tfjs (wasm, 2 threads)". */
  readonly engine: string;
  run(windows: Float32Array, shape: readonly [number, number, number, number, number]): Promise<Float32Array>;
}
