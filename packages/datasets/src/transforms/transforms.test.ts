import { describe, expect, it } from "vitest";
import { createRng } from "../random/rng.js";
import { checkTransformConformance, patternSample } from "../testing/transform.js";
import { flip, randomFlip } from "./random-flip.js";
import { randomIntensityShift } from "./random-intensity-shift.js";
import { randomRot90, rot90 } from "./random-rot90.js";
import { randomZoom, zoom } from "./random-zoom.js";
import { augmentation, TRANSSEG_AUGMENTATION } from "./transseg.js";
import { checkSample, compose, type Sample } from "./types.js";

/** C=1, D=2, H=2, W=3 with image = label = 1..12 (readable positions). */
const small = (): Sample => ({
  image: Float32Array.from({ length: 12 }, (_, i) => i + 1),
  label: Int32Array.from({ length: 12 }, (_, i) => i + 1),
  channels: 1,
  depth: 2,
  height: 2,
  width: 3,
});
const arr = (a: ArrayLike<number>) => Array.from(a);

describe("flip", () => {
  it("reverses one axis of image and label", () => {
    expect(arr(flip(small(), "width").label)).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10]);
    expect(arr(flip(small(), "height").label)).toEqual([4, 5, 6, 1, 2, 3, 10, 11, 12, 7, 8, 9]);
    expect(arr(flip(small(), "depth").image)).toEqual([7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6]);
  });
  it("randomFlip flips with probability p", () => {
    const t = randomFlip({ axis: "width", p: 0.1 });
    const rng = createRng(9);
    let flipped = 0;
    for (let i = 0; i < 2000; i++) if (t(small(), rng).label[0] === 3) flipped++;
    expect(flipped).toBeGreaterThan(140);
    expect(flipped).toBeLessThan(260);
  });
});

describe("rot90", () => {
  const sq: Sample = { image: Float32Array.from([1, 2, 3, 4]), label: Int32Array.from([1, 2, 3, 4]), channels: 1, depth: 1, height: 2, width: 2 };
  it("matches numpy.rot90 on (h, w)", () => {
    // np.rot90([[1,2],[3,4]], k) -> k=1 [[2,4],[1,3]], k=2 [[4,3],[2,1]], k=3 [[3,1],[4,2]]
    expect(arr(rot90(sq, 1).label)).toEqual([2, 4, 1, 3]);
    expect(arr(rot90(sq, 2).image)).toEqual([4, 3, 2, 1]);
    expect(arr(rot90(sq, 3).label)).toEqual([3, 1, 4, 2]);
    expect(rot90(sq, 4)).toBe(sq);
    expect(arr(rot90(rot90(sq, 1), 3).label)).toEqual([1, 2, 3, 4]);
  });
  it("keeps non-square planes non-rotated for odd k", () => {
    expect(() => rot90(small(), 1)).toThrow("square");
    expect(arr(rot90(small(), 2).label)).toEqual([6, 5, 4, 3, 2, 1, 12, 11, 10, 9, 8, 7]);
    const t = randomRot90({ p: 1 });
    for (let seed = 0; seed < 20; seed++) checkSample(t(small(), createRng(seed)));
  });
});

describe("randomIntensityShift", () => {
  it("adds one offset in [-0.1, 0.1] to the image only, half the time", () => {
    const t = randomIntensityShift();
    let shifted = 0;
    for (let seed = 0; seed < 400; seed++) {
      const s = small();
      const out = t(s, createRng(seed));
      expect(out.label).toBe(s.label);
      const d = out.image[0]! - 1;
      for (let i = 0; i < 12; i++) expect(out.image[i]! - s.image[i]!).toBeCloseTo(d, 5);
      expect(Math.abs(d)).toBeLessThanOrEqual(0.1 + 1e-6);
      if (d !== 0) shifted++;
    }
    expect(shifted).toBeGreaterThan(160);
    expect(shifted).toBeLessThan(240);
  });
});

describe("zoom", () => {
  const s2: Sample = { image: Float32Array.from([1, 2, 3, 4]), label: Int32Array.from([1, 2, 3, 4]), channels: 1, depth: 1, height: 2, width: 2 };
  it("x2: bilinear image / nearest label, then a random 2x2 crop", () => {
    // bilinear 2x2 -> 4x4 of [[1,2],[3,4]] (half-pixel): rows 1..4 below
    const big = [
      [1, 1.25, 1.75, 2],
      [1.5, 1.75, 2.25, 2.5],
      [2.5, 2.75, 3.25, 3.5],
      [3, 3.25, 3.75, 4],
    ];
    const bigLabel = [
      [1, 1, 2, 2],
      [1, 1, 2, 2],
      [3, 3, 4, 4],
      [3, 3, 4, 4],
    ];
    for (let seed = 0; seed < 10; seed++) {
      const out = zoom(s2, 2, createRng(seed), false);
      const r = createRng(seed);
      const oh = r.int(3);
      const ow = r.int(3);
      expect(arr(out.image)).toEqual([big[oh]![ow]!, big[oh]![ow + 1]!, big[oh + 1]![ow]!, big[oh + 1]![ow + 1]!]);
      expect(arr(out.label)).toEqual([bigLabel[oh]![ow]!, bigLabel[oh]![ow + 1]!, bigLabel[oh + 1]![ow]!, bigLabel[oh + 1]![ow + 1]!]);
    }
  });
  it("x0.5: area image / nearest label, centred zero pad", () => {
    const img = Float32Array.from({ length: 16 }, (_, i) => i);
    const s: Sample = { image: img, label: Int32Array.from(img), channels: 1, depth: 1, height: 4, width: 4 };
    const out = zoom(s, 0.5, createRng(1), false);
    expect(arr(out.image)).toEqual([0, 0, 0, 0, 0, 2.5, 4.5, 0, 0, 10.5, 12.5, 0, 0, 0, 0, 0]);
    expect(arr(out.label)).toEqual([0, 0, 0, 0, 0, 0, 2, 0, 0, 8, 10, 0, 0, 0, 0, 0]);
  });
  it("zooms depth too by default (5 slices x0.5 -> 2, padded to 5 with one empty slice before)", () => {
    const s = patternSample(12, 12, 5, 1);
    const out = zoom(s, 0.5, createRng(3));
    const plane = 12 * 12;
    const zeros = (d: number) => out.label.subarray(d * plane, (d + 1) * plane).every((v) => v === 0);
    expect([0, 1, 2, 3, 4].map(zeros)).toEqual([true, false, false, true, true]);
    const flat = zoom(s, 0.5, createRng(3), false);
    expect([0, 1, 2, 3, 4].map((d) => flat.label.subarray(d * plane, (d + 1) * plane).some((v) => v !== 0))).toEqual([true, true, true, true, true]);
  });
  it("randomZoom validates its range", () => {
    expect(() => randomZoom({ min: 2, max: 1 })).toThrow("0 < min <= max");
  });
});

describe("conformance kit", () => {
  it.each([
    ["randomZoom", randomZoom()],
    ["randomZoom (in-plane)", randomZoom({ depth: false })],
    ["randomFlip depth", randomFlip({ axis: "depth", p: 0.5 })],
    ["randomFlip height", randomFlip({ axis: "height", p: 0.5 })],
    ["randomFlip width", randomFlip({ axis: "width", p: 0.5 })],
    ["randomRot90", randomRot90({ p: 0.5 })],
    ["randomIntensityShift", randomIntensityShift()],
    ["TransSeg augmentation", augmentation()],
    ["TransSeg augmentation, all steps always", augmentation({ flipP: 1, rot90P: 1, shiftP: 1 })],
  ])("%s passes", (_name, t) => {
    expect(() => checkTransformConformance(t)).not.toThrow();
  });

  it("catches a transform that moves the image but not the label", () => {
    const bad = (s: Sample) => ({ ...s, image: flip(s, "width").image });
    expect(() => checkTransformConformance(bad)).toThrow("misaligned");
    const interp = (s: Sample) => ({ ...s, label: s.label.map((v) => v + 50) });
    expect(() => checkTransformConformance(interp)).toThrow("was not in the input");
    const unseeded = (s: Sample) => ({ ...s, image: s.image.map((v) => v + Math.random()) });
    expect(() => checkTransformConformance(unseeded)).toThrow("not deterministic");
    const mutating = (s: Sample) => {
      s.image[0] = -1;
      return s;
    };
    expect(() => checkTransformConformance(mutating)).toThrow("modified its input");
  });
});

describe("augmentation / compose", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const t = augmentation();
    const a = t(patternSample(), createRng(5));
    expect(t(patternSample(), createRng(5))).toEqual(a);
    expect(t(patternSample(), createRng(6)).image).not.toEqual(a.image);
  });
  it("compose applies left to right with one generator", () => {
    const t = compose((s) => flip(s, "width"), (s) => flip(s, "height"));
    expect(arr(t(small(), createRng(0)).label)).toEqual([6, 5, 4, 3, 2, 1, 12, 11, 10, 9, 8, 7]);
    expect(TRANSSEG_AUGMENTATION.zoom).toEqual([0.5, 2]);
  });
});
