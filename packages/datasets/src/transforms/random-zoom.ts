import type { Rng } from "../random/rng.js";
import { axisTaps, resampleAxis } from "../window/resize.js";
import type { Sample, Transform } from "./types.js";

export interface RandomZoomOptions {
  /** Zoom factor range (TransSeg: 0.5 to 2). */
  readonly min?: number;
  readonly max?: number;
  /** Probability of zooming (TransSeg: 1). */
  readonly p?: number;
  /** Also zoom along depth, as TransSeg's isotropic RandZoom does (default true). */
  readonly depth?: boolean;
}

/** Where a zoomed axis of `zoomed` voxels lands in `size`: a random crop or a centred zero pad. */
interface AxisFit {
  readonly srcStart: number;
  readonly dstStart: number;
  readonly count: number;
}

function fitAxis(zoomed: number, size: number, rng: Rng): AxisFit {
  if (zoomed >= size) return { srcStart: zoomed > size ? rng.int(zoomed - size + 1) : 0, dstStart: 0, count: size };
  return { srcStart: 0, dstStart: Math.floor((size - zoomed) / 2), count: zoomed };
}

type Mode = "area" | "bilinear" | "nearest" | null;

/** The zoomed-then-cropped block of `[planes, D, H, W]` data: only the kept outputs are computed. */
function zoomBlock<T extends Float32Array | Int32Array>(
  data: T,
  planes: number,
  [D, H, W]: readonly number[],
  [zd, zh, zw]: readonly number[],
  [fd, fh, fw]: readonly AxisFit[],
  mode: (inSize: number, outSize: number) => Mode,
  make: (n: number) => T,
): T {
  const byW = resampleAxis(data, planes * D * H, W!, 1, axisTaps(W!, zw!, mode(W!, zw!), fw!.srcStart, fw!.count), make);
  const byH = resampleAxis(byW, planes * D!, H!, fw!.count, axisTaps(H!, zh!, mode(H!, zh!), fh!.srcStart, fh!.count), make);
  const block = resampleAxis(byH, planes, D!, fh!.count * fw!.count, axisTaps(D!, zd!, mode(D!, zd!), fd!.srcStart, fd!.count), make);
  if (fd!.count === D && fh!.count === H && fw!.count === W) return block;
  const out = make(planes * D! * H! * W!);
  for (let p = 0; p < planes; p++) {
    for (let d = 0; d < fd!.count; d++) {
      for (let h = 0; h < fh!.count; h++) {
        const s = ((p * fd!.count + d) * fh!.count + h) * fw!.count;
        out.set(block.subarray(s, s + fw!.count), ((p * D! + fd!.dstStart + d) * H! + fh!.dstStart + h) * W! + fw!.dstStart);
      }
    }
  }
  return out;
}

const imageMode = (inSize: number, outSize: number): Mode => (inSize === outSize ? null : outSize < inSize ? "area" : "bilinear");
const labelMode = (inSize: number, outSize: number): Mode => (inSize === outSize ? null : "nearest");

/**
 * Zooms by `factor` (output extent floor(size · factor), at least 1; images: area when
 * shrinking, bilinear when growing; labels: nearest), then brings every axis back to its size:
 * a random crop where the zoomed axis is longer, a centred zero pad (image 0, label background)
 * where it is shorter. Only the kept part of the zoomed sample is computed. TransSeg zooms with
 * MONAI's "area" both ways and pads at the end of its pipeline; here every transform keeps the
 * sample's shape.
 */
export function zoom(s: Sample, factor: number, rng: Rng, depth = true): Sample {
  const { channels: C, depth: D, height: H, width: W } = s;
  const zoomed = [depth ? Math.max(1, Math.floor(D * factor)) : D, Math.max(1, Math.floor(H * factor)), Math.max(1, Math.floor(W * factor))];
  const fits = [fitAxis(zoomed[0]!, D, rng), fitAxis(zoomed[1]!, H, rng), fitAxis(zoomed[2]!, W, rng)];
  return {
    ...s,
    image: zoomBlock(s.image, C, [D, H, W], zoomed, fits, imageMode, (n) => new Float32Array(n)),
    label: zoomBlock(s.label, 1, [D, H, W], zoomed, fits, labelMode, (n) => new Int32Array(n)),
  };
}

/** With probability p, zooms by a factor drawn uniformly from [min, max] (see `zoom`). */
export function randomZoom(options: RandomZoomOptions = {}): Transform {
  const min = options.min ?? 0.5;
  const max = options.max ?? 2;
  const p = options.p ?? 1;
  if (!(min > 0 && max >= min)) throw new Error(`randomZoom: need 0 < min <= max, got ${min}..${max}`);
  return (s, rng) => (rng.chance(p) ? zoom(s, rng.uniform(min, max), rng, options.depth ?? true) : s);
}
