import { createRng } from "../random/rng.js";
import { augmentation } from "../transforms/transseg.js";
import type { Sample, Transform } from "../transforms/types.js";
import { modelLabelWindow, modelWindow } from "../window/model-window.js";
import type { CachedCase } from "./case-store.js";
import type { SampleConfig, SampleResult } from "./types.js";

/**
 * Turns a decoded case and a sample seed into a training window — a pure function of its
 * inputs, so the result does not depend on which worker computes it or when:
 * 1. with probability `foregroundProbability` (and if the case has any), a slice whose label
 *    has foreground, else a uniformly random slice;
 * 2. the image window and label planes resized to `img`;
 * 3. the augmentation (if any), image and label planes together;
 * 4. the centre label plane as the target.
 */
export function makeSample(
  c: CachedCase,
  seed: number,
  config: Pick<SampleConfig, "window" | "img" | "foregroundProbability">,
  augment: Transform | null,
): SampleResult {
  const rng = createRng(seed);
  const Z = c.image.shape[2];
  const fg = c.foregroundSlices;
  const wantForeground = rng.chance(config.foregroundProbability);
  const z = wantForeground && fg.length > 0 ? fg[rng.int(fg.length)]! : rng.int(Z);
  const [H, W] = config.img;
  let sample: Sample = {
    image: modelWindow(c.image, z, config),
    label: modelLabelWindow(c.label, z, config),
    channels: c.image.shape[3],
    depth: config.window,
    height: H,
    width: W,
  };
  if (augment) sample = augment(sample, rng);
  const k = (config.window - 1) / 2;
  return { image: sample.image, label: sample.label.slice(k * H * W, (k + 1) * H * W), z };
}

/** The augmentation a config asks for (null = none). */
export function augmentationOf(config: Pick<SampleConfig, "augment">): Transform | null {
  return config.augment === null ? null : augmentation(config.augment);
}
