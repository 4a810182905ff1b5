import * as tf from "@tensorflow/tfjs";
import type { SegmentationModel } from "../model.js";

/**
 * Runs a segmentation model on a batch of windows, whatever the engine (TensorFlow.js, ONNX
 * Runtime): windows `[B, C, D, H, W]` in, logits `[B, classes, H, W]` out.
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

/** A `WindowRunner` on a TensorFlow.js `SegmentationModel` (the backend currently set). */
export function tfjsRunner(model: SegmentationModel, engine = `tfjs (${tf.getBackend()})`): WindowRunner {
  const e = model.config.encoder;
  return {
    inChannels: e.in_channels,
    window: e.window,
    img: [e.img[0], e.img[1]],
    classes: model.config.classes,
    engine,
    async run(windows, shape) {
      const logits = tf.tidy(() => model.forward(tf.tensor5d(windows, [...shape])));
      try {
        return (await logits.data()) as Float32Array;
      } finally {
        logits.dispose();
      }
    },
  };
}
