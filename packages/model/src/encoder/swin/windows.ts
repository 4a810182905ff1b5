/**
 * Host-side tables of shifted-window attention (2D Swin as windows of depth 1, Video Swin in 3D):
 * the relative position index, the shifted-window attention mask, and the per-stage window and
 * shift. Pure arithmetic, shared by the TensorFlow.js model and the ONNX export.
 */

/**
 * Relative position index of a window `[wd, wh, ww]` (tokens in (d, h, w) order): offset
 * `(dd, dh, dw)` → `(dd + wd − 1)(2wh − 1)(2ww − 1) + (dh + wh − 1)(2ww − 1) + (dw + ww − 1)`;
 * `[N·N]` for N = wd·wh·ww. With wd = 1 this is the 2D Swin index.
 */
export function windowRelativeIndex(window: readonly number[]): Int32Array {
  const [wd, wh, ww] = window.length === 2 ? [1, window[0]!, window[1]!] : (window as [number, number, number]);
  const n = wd * wh * ww;
  const out = new Int32Array(n * n);
  const coord = (i: number): [number, number, number] => [Math.floor(i / (wh * ww)), Math.floor(i / ww) % wh, i % ww];
  for (let i = 0; i < n; i++) {
    const [di, hi, wi] = coord(i);
    for (let j = 0; j < n; j++) {
      const [dj, hj, wj] = coord(j);
      out[i * n + j] = (di - dj + wd - 1) * (2 * wh - 1) * (2 * ww - 1) + (hi - hj + wh - 1) * (2 * ww - 1) + (wi - wj + ww - 1);
    }
  }
  return out;
}

/**
 * The index a (possibly shrunk) window `used` reads from the table of `full`: the top-left
 * `N × N` block of the full window's index, N = ∏ used (Video Swin's
 * `relative_position_index[:N, :N]`). It equals `windowRelativeIndex(used)` re-based onto the
 * full table when only the depth shrinks; when an in-plane side shrinks the first N tokens of the
 * full window are not the used window's tokens, and the bias is not the offsets' (as Video Swin).
 */
export function shrunkRelativeIndex(full: readonly number[], used: readonly number[]): Int32Array {
  const idx = windowRelativeIndex(full);
  const nf = full.reduce((a, b) => a * b, 1);
  const n = used.reduce((a, b) => a * b, 1);
  if (n === nf) return idx;
  const out = new Int32Array(n * n);
  for (let i = 0; i < n; i++) out.set(idx.subarray(i * nf, i * nf + n), i * n);
  return out;
}

/**
 * Attention mask of shifted windows on a padded map `[Dp, Hp, Wp]` (multiples of the window):
 * regions `[0, P − w)`, `[P − w, P − s)`, `[P − s, P)` per axis (a zero shift puts the whole axis
 * in one region), `0` within a region and `−100` across, per window: `[nW, N, N]`, windows in
 * (d, h, w) order. Exactly the `img_mask` rule of Swin's and Video Swin's code.
 */
export function shiftedWindowMask(padded: readonly [number, number, number], window: readonly [number, number, number], shift: readonly [number, number, number]): Float32Array {
  const region = (axis: number, i: number): number => {
    const [p, w, s] = [padded[axis]!, window[axis]!, shift[axis]!];
    if (s === 0) return 2; // slice(-0, None) is the whole axis: it overwrites both others
    return i < p - w ? 0 : i < p - s ? 1 : 2;
  };
  const [dp, hp, wp] = padded;
  const [wd, wh, ww] = window;
  const [nd, nh, nw] = [dp / wd, hp / wh, wp / ww];
  const n = wd * wh * ww;
  const nW = nd * nh * nw;
  const out = new Float32Array(nW * n * n);
  const labels = new Int32Array(n);
  for (let a = 0; a < nd; a++)
    for (let b = 0; b < nh; b++)
      for (let c = 0; c < nw; c++) {
        const win = (a * nh + b) * nw + c;
        for (let t = 0; t < n; t++) {
          const [d, h, w] = [a * wd + Math.floor(t / (wh * ww)), b * wh + (Math.floor(t / ww) % wh), c * ww + (t % ww)];
          labels[t] = (region(0, d) * 3 + region(1, h)) * 3 + region(2, w);
        }
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[(win * n + i) * n + j] = labels[i] === labels[j] ? 0 : -100;
      }
  return out;
}

/** Window and shift a stage uses on a map `[D, H, W]`. */
export interface StageWindow {
  readonly window: [number, number, number];
  /** Shift of the odd (shifted) blocks. */
  readonly shift: [number, number, number];
  /** Map padded to multiples of the window. */
  readonly padded: [number, number, number];
}

/**
 * `swin` (TransSeg's `swint`): the configured window always, shift `⌊w/2⌋` kept even when the map
 * is no larger than the window. `swin3d` (Video Swin's `get_window_size`): on an axis where the
 * map is no larger than the window, the window shrinks to the map and that axis is not shifted.
 */
export function stageWindow(kind: "swin" | "swin3d", windowSize: readonly number[], map: readonly [number, number, number]): StageWindow {
  const full: [number, number, number] = windowSize.length === 2 ? [1, windowSize[0]!, windowSize[1]!] : [windowSize[0]!, windowSize[1]!, windowSize[2]!];
  const window = [...full] as [number, number, number];
  const shift = full.map((w) => Math.floor(w / 2)) as [number, number, number];
  if (kind === "swin3d") {
    for (let i = 0; i < 3; i++) {
      if (map[i]! <= full[i]!) {
        window[i] = map[i]!;
        shift[i] = 0;
      }
    }
  }
  const padded = map.map((m, i) => Math.ceil(m / window[i]!) * window[i]!) as [number, number, number];
  return { window, shift, padded };
}
