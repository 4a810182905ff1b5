import type * as tf from "@tensorflow/tfjs";
import type { ModelEncoderConfig } from "@transseg/model";
import type { DecoderContext } from "../decoders/decoder.js";
import type { ForwardOptions, SegmentationModel } from "../model.js";

/** The decoder context of a model (what `SegmentationModel` builds privately). */
export function decoderContext(model: SegmentationModel): DecoderContext<ModelEncoderConfig> {
  const [, gh, gw] = model.grid;
  const c = model.config;
  return { encoder: c.encoder, config: c.decoder, classes: c.classes, grid: [gh, gw] };
}

/**
 * Channels-last logits `[B, H, W, K]` of windows `[B, C, D, H, W]`: the model's encoder and
 * decoder without the final NCHW transpose (losses reduce over the last axis). Differentiable;
 * runs inside the caller's tidy / gradient scope.
 */
export function forwardChannelsLast(model: SegmentationModel, x: tf.Tensor5D, options: ForwardOptions): tf.Tensor4D {
  const features = model.encode(x, model.decoder.layers(decoderContext(model)), options);
  return model.decodeTokens(features, options);
}
