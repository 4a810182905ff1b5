import type { Rng } from "../random/rng.js";
import { resizePlanes } from "../window/resize.js";
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

/** Copies the [planes, d, h, w] crop/pad described by the fits from `src` [planes, sd, sh, sw]. */
function place<T extends Float32Array | Int32Array>(
  src: T,
  planes: number,
  [sd, sh, sw]: readonly number[],
  [D, H, W]: readonly number[],
  [fd, fh, fw]: readonly AxisFit[],
): T {
  const out = new (src.constructor as new (n: number) => T)(planes * D * H * W);
  for (let p = 0; p < planes; p++) {
    for (let d = 0; d < fd!.count; d++) {
      for (let h = 0; h < fh!.count; h++) {
        const s = ((p * sd! + fd!.srcStart + d) * sh! + fh!.srcStart + h) * sw! + fw!.srcStart;
        const o = ((p * D + fd!.dstStart + d) * H + fh!.dstStart + h) * W + fw!.dstStart;
        out.set(src.subarray(s, s + fw!.count), o);
      }
    }
  }
  return out;
}

/**
 * Zooms by `factor` (output extent floor(size · factor), at least 1; images: area when
 * shrinking, bilinear when growing; labels: nearest), then brings every axis back to its size:
 * a random crop where the zoomed axis is longer, a centred zero pad (image 0, label background)
 * where it is shorter. TransSeg zooms with MONAI's "area" both ways and pads at the end of its
 * pipeline; here every transform keeps the sample's shape.
 */
export function zoom(s: Sample, factor: number, rng: Rng, depth = true): Sample {
  const { channels: C, depth: D, height: H, width: W } = s;
  const zd = depth ? Math.max(1, Math.floor(D * factor)) : D;
  const zh = Math.max(1, Math.floor(H * factor));
  const zw = Math.max(1, Math.floor(W * factor));
  let image = resizePlanes(s.image, C * D, [H, W], [zh, zw], "auto");
  let label = resizePlanes(s.label, D, [H, W], [zh, zw], "nearest");
  if (zd !== D) {
    image = resizePlanes(image, C, [D, zh * zw], [zd, zh * zw], "auto");
    label = resizePlanes(label, 1, [D, zh * zw], [zd, zh * zw], "nearest");
  }
  const fits = [fitAxis(zd, D, rng), fitAxis(zh, H, rng), fitAxis(zw, W, rng)];
  return {
    ...s,
    image: place(image, C, [zd, zh, zw], [D, H, W], fits),
    label: place(label, 1, [zd, zh, zw], [D, H, W], fits),
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
