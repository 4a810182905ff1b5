/**
 * Resizing of stacks of 2D planes, one axis at a time (both axes use the same rule, so the
 * result equals PyTorch's 2D operation of the same name when both axes shrink or both grow):
 *
 * - `area`: PyTorch `interpolate(mode="area")` = adaptive average pooling: output o averages
 *   input [floor(o·in/out), ceil((o+1)·in/out)).
 * - `bilinear`: PyTorch `align_corners=False` (half-pixel centres): src = (o + 0.5)·in/out − 0.5,
 *   clamped at 0; taps floor(src) and min(floor(src) + 1, in − 1).
 * - `nearest`: PyTorch's legacy `nearest`: src = min(floor(o·in/out), in − 1). For labels.
 * - `auto` (images): `area` along an axis that shrinks, `bilinear` along one that grows,
 *   identity along one that keeps its size.
 */
export type ResizeMode = "auto" | "area" | "bilinear" | "nearest";

/** Sparse interpolation weights of one axis: output j (of `count`) = Σ weight[k]·in[src[k]], k in start[j]..start[j+1]. */
export interface AxisTaps {
  readonly count: number;
  readonly start: Int32Array;
  readonly src: Int32Array;
  readonly weight: Float64Array;
}

/**
 * Taps for outputs `first .. first + count − 1` of resizing an axis from `inSize` to `outSize`
 * (`null` mode = identity, which needs inSize = outSize). Asking only for a sub-range lets a
 * crop of a zoomed axis be computed without the rest.
 */
export function axisTaps(
  inSize: number,
  outSize: number,
  mode: Exclude<ResizeMode, "auto"> | null,
  first = 0,
  count = outSize - first,
): AxisTaps {
  const scale = inSize / outSize;
  const start = new Int32Array(count + 1);
  const src: number[] = [];
  const weight: number[] = [];
  for (let j = 0; j < count; j++) {
    const o = first + j;
    start[j] = src.length;
    if (mode === null) {
      src.push(o);
      weight.push(1);
    } else if (mode === "area") {
      const a = Math.floor((o * inSize) / outSize);
      const b = Math.ceil(((o + 1) * inSize) / outSize);
      for (let i = a; i < b; i++) {
        src.push(i);
        weight.push(1 / (b - a));
      }
    } else if (mode === "bilinear") {
      const s = Math.max((o + 0.5) * scale - 0.5, 0);
      const i0 = Math.min(Math.floor(s), inSize - 1);
      const i1 = Math.min(i0 + 1, inSize - 1);
      const l = s - i0;
      src.push(i0, i1);
      weight.push(1 - l, l);
    } else {
      src.push(Math.min(Math.floor(o * scale), inSize - 1));
      weight.push(1);
    }
  }
  start[count] = src.length;
  return { count, start, src: Int32Array.from(src), weight: Float64Array.from(weight) };
}

type NumericArray = Float32Array | Float64Array | Int32Array | Int16Array | Uint8Array | Uint16Array | Int8Array | Uint32Array;

/**
 * Resamples the middle axis of `src` viewed as [outer, n, inner] with `taps`, into a new
 * [outer, taps.count, inner] array made by `make` (values rounded when `round`).
 */
export function resampleAxis<T extends NumericArray>(
  src: ArrayLike<number>,
  outer: number,
  n: number,
  inner: number,
  taps: AxisTaps,
  make: (length: number) => T,
  round = false,
): T {
  const m = taps.count;
  const out = make(outer * m * inner);
  const { start, src: idx, weight } = taps;
  if (inner === 1) {
    // Along the fastest axis: one dot product per output.
    for (let o = 0; o < outer; o++) {
      const base = o * n;
      const dst = o * m;
      for (let j = 0; j < m; j++) {
        let acc = 0;
        for (let k = start[j]!; k < start[j + 1]!; k++) acc += weight[k]! * src[base + idx[k]!]!;
        out[dst + j] = round ? Math.round(acc) : acc;
      }
    }
    return out;
  }
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const k0 = start[j]!;
      const k1 = start[j + 1]!;
      const dst = (o * m + j) * inner;
      if (k1 - k0 === 1 && weight[k0] === 1) {
        const from = (o * n + idx[k0]!) * inner;
        for (let i = 0; i < inner; i++) out[dst + i] = src[from + i]!;
        continue;
      }
      for (let i = 0; i < inner; i++) {
        let acc = 0;
        for (let k = k0; k < k1; k++) acc += weight[k]! * src[(o * n + idx[k]!) * inner + i]!;
        out[dst + i] = round ? Math.round(acc) : acc;
      }
    }
  }
  return out;
}

function modeFor(mode: ResizeMode, inSize: number, outSize: number): Exclude<ResizeMode, "auto"> | null {
  if (inSize === outSize) return null;
  if (mode !== "auto") return mode;
  return outSize < inSize ? "area" : "bilinear";
}

/**
 * Resizes `planes` row-major planes `[planes, inH, inW]` to `[planes, outH, outW]`.
 * Returns a new array of the same type (integers are rounded, so use `nearest` for labels).
 */
export function resizePlanes<T extends NumericArray>(
  data: T,
  planes: number,
  inSize: readonly [number, number],
  outSize: readonly [number, number],
  mode: ResizeMode = "auto",
): T {
  const [inH, inW] = inSize;
  const [outH, outW] = outSize;
  if (data.length !== planes * inH * inW) throw new Error(`resizePlanes: ${data.length} values for [${planes}, ${inH}, ${inW}]`);
  if (!(outH >= 1 && outW >= 1 && Number.isInteger(outH) && Number.isInteger(outW))) throw new Error(`resizePlanes: invalid output size ${outH}x${outW}`);
  const Ctor = data.constructor as new (n: number) => T;
  const round = !(data instanceof Float32Array || data instanceof Float64Array);
  const mw = modeFor(mode, inW, outW);
  const mh = modeFor(mode, inH, outH);
  if (!mw && !mh) return data.slice() as T;
  if (!mh) return resampleAxis(data, planes * inH, inW, 1, axisTaps(inW, outW, mw), (n) => new Ctor(n), round);
  const rows = mw ? resampleAxis(data, planes * inH, inW, 1, axisTaps(inW, outW, mw), (n) => new Float64Array(n)) : data;
  return resampleAxis(rows, planes, inH, outW, axisTaps(inH, outH, mh), (n) => new Ctor(n), round);
}
