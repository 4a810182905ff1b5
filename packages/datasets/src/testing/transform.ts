import { createRng } from "../random/rng.js";
import { checkSample, type Sample, type Transform } from "../transforms/types.js";

export interface TransformConformanceOptions {
  /** Seeds to try (default 0..49). */
  readonly seeds?: readonly number[];
  /** Check that image and label move together (default true; off for image-only transforms is not needed). */
  readonly alignment?: boolean;
}

/**
 * A test sample whose image channels equal the label (as float) plus a channel offset: blocks
 * of 6x6 pixels in-plane, two depth halves, 9 slices, 2 channels, 24x24 (or `height`x`width`).
 */
export function patternSample(height = 24, width = 24, depth = 9, channels = 2): Sample {
  const label = new Int32Array(depth * height * width);
  for (let d = 0; d < depth; d++) {
    for (let h = 0; h < height; h++) {
      for (let w = 0; w < width; w++) {
        label[(d * height + h) * width + w] = 1 + ((Math.floor(h / 6) * 3 + Math.floor(w / 6)) % 5) + (d >= depth / 2 ? 5 : 0);
      }
    }
  }
  const image = new Float32Array(channels * label.length);
  for (let c = 0; c < channels; c++) for (let i = 0; i < label.length; i++) image[c * label.length + i] = label[i]! + 100 * c;
  return { image, label, channels, depth, height, width };
}

/**
 * True when the (2r+1)^3 neighbourhood of (d, h, w) lies inside the sample and the label is
 * constant on it (resizing rules differ by up to half a source pixel between images and labels,
 * and at the borders, so only block interiors are compared).
 */
function uniformAround(s: Sample, d: number, h: number, w: number, r: number): boolean {
  if (d < r || h < r || w < r || d + r >= s.depth || h + r >= s.height || w + r >= s.width) return false;
  const v = s.label[(d * s.height + h) * s.width + w]!;
  for (let dd = d - r; dd <= d + r; dd++) {
    for (let hh = h - r; hh <= h + r; hh++) {
      for (let ww = w - r; ww <= w + r; ww++) {
        if (s.label[(dd * s.height + hh) * s.width + ww] !== v) return false;
      }
    }
  }
  return true;
}

/**
 * Conformance check for a `Transform` (call it from your transform's test). Throws describing
 * the first failure. It checks that, for every seed:
 * - the output keeps the sample's extents and array types, and the input is not modified;
 * - the same seed gives the same output (determinism);
 * - label values are a subset of the input's (no interpolation of labels);
 * - image and label stay aligned: inside label blocks (radius 2, off the borders), every channel equals
 *   label + 100·c + one common offset (intensity shifts are allowed, spatial drift is not).
 */
export function checkTransformConformance(transform: Transform, options: TransformConformanceOptions = {}): void {
  const seeds = options.seeds ?? Array.from({ length: 50 }, (_, i) => i);
  for (const seed of seeds) {
    const input = patternSample();
    const before = { image: input.image.slice(), label: input.label.slice() };
    const out = transform(input, createRng(seed));
    const again = transform(patternSample(), createRng(seed));
    const where = `seed ${seed}`;
    checkSample(out);
    if (out.channels !== input.channels || out.depth !== input.depth || out.height !== input.height || out.width !== input.width) {
      throw new Error(`${where}: the transform changed the sample's extents`);
    }
    if (!(out.image instanceof Float32Array) || !(out.label instanceof Int32Array)) throw new Error(`${where}: image must stay Float32Array and label Int32Array`);
    if (!before.image.every((v, i) => v === input.image[i]) || !before.label.every((v, i) => v === input.label[i])) {
      throw new Error(`${where}: the transform modified its input`);
    }
    if (!out.image.every((v, i) => Object.is(v, again.image[i])) || !out.label.every((v, i) => v === again.label[i])) {
      throw new Error(`${where}: not deterministic for a seed`);
    }
    const values = new Set([0, ...input.label]);
    const foreign = out.label.find((v) => !values.has(v));
    if (foreign !== undefined) throw new Error(`${where}: label value ${foreign} was not in the input (labels must not be interpolated)`);
    if (options.alignment ?? true) checkAlignment(out, where);
  }
}

function checkAlignment(s: Sample, where: string): void {
  const n = s.depth * s.height * s.width;
  let offset: number | null = null;
  for (let d = 0; d < s.depth; d++) {
    for (let h = 0; h < s.height; h++) {
      for (let w = 0; w < s.width; w++) {
        if (!uniformAround(s, d, h, w, 2)) continue;
        const i = (d * s.height + h) * s.width + w;
        const lab = s.label[i]!;
        for (let c = 0; c < s.channels; c++) {
          const expected = lab === 0 ? null : lab + 100 * c; // padding: label 0, image 0 + offset
          const diff = s.image[c * n + i]! - (expected ?? 0);
          if (offset === null) offset = diff;
          if (Math.abs(diff - offset) > 1e-4) {
            throw new Error(`${where}: image and label are misaligned at (c=${c}, d=${d}, h=${h}, w=${w}): image ${s.image[c * n + i]}, label ${lab}`);
          }
        }
      }
    }
  }
}
