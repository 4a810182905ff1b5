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

interface AxisTaps {
  readonly start: Int32Array; // first tap index into the weight list
  readonly src: Int32Array;
  readonly weight: Float64Array;
}

function axisTaps(inSize: number, outSize: number, mode: Exclude<ResizeMode, "auto">): AxisTaps {
  const scale = inSize / outSize;
  const start = new Int32Array(outSize + 1);
  const src: number[] = [];
  const weight: number[] = [];
  for (let o = 0; o < outSize; o++) {
    start[o] = src.length;
    if (mode === "area") {
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
  start[outSize] = src.length;
  return { start, src: Int32Array.from(src), weight: Float64Array.from(weight) };
}

function modeFor(mode: ResizeMode, inSize: number, outSize: number): Exclude<ResizeMode, "auto"> | null {
  if (inSize === outSize) return null;
  if (mode !== "auto") return mode;
  return outSize < inSize ? "area" : "bilinear";
}

type NumericArray = Float32Array | Float64Array | Int32Array | Int16Array | Uint8Array | Uint16Array | Int8Array | Uint32Array;

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
  const isFloat = data instanceof Float32Array || data instanceof Float64Array;
  const mw = modeFor(mode, inW, outW);
  const mh = modeFor(mode, inH, outH);
  if (!mw && !mh) return data.slice() as T;
  // Along W into a float64 buffer [planes, inH, outW].
  let tmp: Float64Array;
  if (mw) {
    const t = axisTaps(inW, outW, mw);
    tmp = new Float64Array(planes * inH * outW);
    for (let r = 0; r < planes * inH; r++) {
      const ib = r * inW;
      const ob = r * outW;
      for (let o = 0; o < outW; o++) {
        let acc = 0;
        for (let k = t.start[o]!; k < t.start[o + 1]!; k++) acc += t.weight[k]! * data[ib + t.src[k]!]!;
        tmp[ob + o] = acc;
      }
    }
  } else {
    tmp = Float64Array.from(data as ArrayLike<number>);
  }
  // Along H.
  const out = new Ctor(planes * outH * outW);
  const store = isFloat ? (i: number, v: number) => { out[i] = v; } : (i: number, v: number) => { out[i] = Math.round(v); };
  if (mh) {
    const t = axisTaps(inH, outH, mh);
    for (let p = 0; p < planes; p++) {
      const ib = p * inH * outW;
      const ob = p * outH * outW;
      for (let o = 0; o < outH; o++) {
        for (let w = 0; w < outW; w++) {
          let acc = 0;
          for (let k = t.start[o]!; k < t.start[o + 1]!; k++) acc += t.weight[k]! * tmp[ib + t.src[k]! * outW + w]!;
          store(ob + o * outW + w, acc);
        }
      }
    }
  } else {
    for (let i = 0; i < tmp.length; i++) store(i, tmp[i]!);
  }
  return out;
}
