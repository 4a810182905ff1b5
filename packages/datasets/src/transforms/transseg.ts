import { randomFlip } from "./random-flip.js";
import { randomIntensityShift } from "./random-intensity-shift.js";
import { randomRot90 } from "./random-rot90.js";
import { randomZoom } from "./random-zoom.js";
import { compose, type Transform } from "./types.js";

/**
 * Plain-data description of the training augmentation (it crosses worker boundaries, so it is
 * data, not functions). Set a probability to 0 to switch a step off.
 */
export interface AugmentationSpec {
  readonly zoom: readonly [number, number];
  readonly zoomP: number;
  /** Zoom along depth too (TransSeg: yes, one isotropic factor). */
  readonly zoomDepth: boolean;
  /** Flip probability for each of depth, height, width. */
  readonly flipP: number;
  readonly rot90P: number;
  readonly shift: number;
  readonly shiftP: number;
}

/** TransSeg's training augmentation (SPEC §4). */
export const TRANSSEG_AUGMENTATION: AugmentationSpec = Object.freeze({
  zoom: [0.5, 2] as const,
  zoomP: 1,
  zoomDepth: true,
  flipP: 0.1,
  rot90P: 0.1,
  shift: 0.1,
  shiftP: 0.5,
});

/**
 * The augmentation pipeline of a spec: zoom + crop/pad, flips along height, width and depth,
 * rot90 in the (height, width) plane, intensity shift — TransSeg's order.
 */
export function augmentation(spec: Partial<AugmentationSpec> = {}): Transform {
  const s = { ...TRANSSEG_AUGMENTATION, ...spec };
  return compose(
    randomZoom({ min: s.zoom[0], max: s.zoom[1], p: s.zoomP, depth: s.zoomDepth }),
    randomFlip({ axis: "height", p: s.flipP }),
    randomFlip({ axis: "width", p: s.flipP }),
    randomFlip({ axis: "depth", p: s.flipP }),
    randomRot90({ p: s.rot90P, maxK: 3 }),
    randomIntensityShift({ offset: s.shift, p: s.shiftP }),
  );
}
