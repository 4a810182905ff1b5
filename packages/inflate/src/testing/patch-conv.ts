/**
 * A small reference patch convolution (kernel = stride, no padding), written plainly for checking
 * identities: float64 accumulation, PyTorch layouts.
 */

/** conv2d: x `[C, H, W]`, kernel `[O, C, kh, kw]` -> `[O, H/kh, W/kw]`. */
export function patchConv2d(x: ArrayLike<number>, [c, h, w]: readonly number[], kernel: ArrayLike<number>, [o, kc, kh, kw]: readonly number[]): Float64Array {
  if (kc !== c || h! % kh! !== 0 || w! % kw! !== 0) throw new Error("patchConv2d: shapes do not fit");
  const gh = h! / kh!;
  const gw = w! / kw!;
  const out = new Float64Array(o! * gh * gw);
  for (let oo = 0; oo < o!; oo++)
    for (let py = 0; py < gh; py++)
      for (let px = 0; px < gw; px++) {
        let s = 0;
        for (let cc = 0; cc < c!; cc++)
          for (let i = 0; i < kh!; i++)
            for (let j = 0; j < kw!; j++) s += kernel[((oo * c! + cc) * kh! + i) * kw! + j]! * x[(cc * h! + py * kh! + i) * w! + px * kw! + j]!;
        out[(oo * gh + py) * gw + px] = s;
      }
  return out;
}

/** conv3d over one depth patch: x `[C, K, H, W]`, kernel `[O, C, K, kh, kw]` -> `[O, H/kh, W/kw]`. */
export function patchConv3d(x: ArrayLike<number>, [c, k, h, w]: readonly number[], kernel: ArrayLike<number>, [o, kc, kk, kh, kw]: readonly number[]): Float64Array {
  if (kc !== c || kk !== k) throw new Error("patchConv3d: shapes do not fit");
  // A depth patch of K slices is a 2D patch convolution with C*K input channels (same memory layout).
  return patchConv2d(x, [c! * k!, h!, w!], kernel, [o!, c! * k!, kh!, kw!]);
}

/** Slice k of a window `[C, K, H, W]` as `[C, H, W]`. */
export function windowSlice(x: ArrayLike<number>, [c, k, h, w]: readonly number[], slice: number): Float64Array {
  const plane = h! * w!;
  const out = new Float64Array(c! * plane);
  for (let cc = 0; cc < c!; cc++) for (let i = 0; i < plane; i++) out[cc * plane + i] = x[(cc * k! + slice) * plane + i]!;
  return out;
}
