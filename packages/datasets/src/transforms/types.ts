import type { Rng } from "../random/rng.js";

/**
 * A training sample: an image window `[channels, depth, height, width]` float32 and its label
 * planes `[depth, height, width]` int32 (one plane per window slice; the centre plane is the
 * training target). Height = x, width = y (SPEC §3).
 */
export interface Sample {
  readonly image: Float32Array;
  readonly label: Int32Array;
  readonly channels: number;
  readonly depth: number;
  readonly height: number;
  readonly width: number;
}

/**
 * A seeded augmentation: a pure function of the sample and the generator's state. Spatial
 * transforms move image and label identically (labels never interpolated); all keep the shape.
 */
export type Transform = (sample: Sample, rng: Rng) => Sample;

/** Checks a sample's array lengths against its extents; throws naming the mismatch. */
export function checkSample(s: Sample): void {
  const plane = s.depth * s.height * s.width;
  if (s.image.length !== s.channels * plane) {
    throw new Error(`sample image has ${s.image.length} values, [${s.channels}, ${s.depth}, ${s.height}, ${s.width}] needs ${s.channels * plane}`);
  }
  if (s.label.length !== plane) throw new Error(`sample label has ${s.label.length} values, [${s.depth}, ${s.height}, ${s.width}] needs ${plane}`);
}

/** Applies the transforms left to right with one generator. */
export function compose(...transforms: readonly Transform[]): Transform {
  return (sample, rng) => transforms.reduce((s, t) => t(s, rng), sample);
}
