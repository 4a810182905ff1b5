import * as tf from "@tensorflow/tfjs";
import type { WindowRunner } from "@transseg/model";
import type { SegmentationModel } from "../model.js";

export type { WindowRunner } from "@transseg/model";

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
