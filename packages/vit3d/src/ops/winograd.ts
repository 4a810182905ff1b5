import * as tf from "@tensorflow/tfjs";

/**
 * 3×3 convolution, stride 1, zero padding 1 ("same"), NHWC, by Winograd's minimal filtering
 * F(2×2, 3×3): each 2×2 output tile is `Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A` of its 4×4 input patch `d`,
 * so the products become 16 plain matMuls `[tiles, in] × [in, out]` — 4 multiplications per
 * output pixel and channel pair instead of 9 (2.25× fewer). Used for inference on backends whose
 * matMul is much faster than their direct convolution for wide inputs (wasm: XNNPACK's direct
 * 3×3 conv with 3072 input channels runs at ~50 GFLOP/s, its matMul at ~80); the transforms are
 * additions of whole tensors. Matches `tf.conv2d(x, w, 1, "same")` to float32 rounding (the
 * transforms only add, subtract and halve). Any height and width (odd sizes are padded to the
 * tile grid and cropped). Differentiable, but meant for forwards without a gradient tape.
 *
 * Memory: the transformed input of a band of tile rows (16 copies of a quarter of the band) is
 * bounded by `bandFloats`, so the whole 16-matrix set of a large map never exists at once.
 */
export function winogradConv3x3(x: tf.Tensor4D, w: tf.Tensor4D, options: { readonly bandFloats?: number } = {}): tf.Tensor4D {
  const [kh, kw, cin, cout] = w.shape;
  if (kh !== 3 || kw !== 3) throw new Error(`winogradConv3x3: filter must be 3x3, got ${kh}x${kw}`);
  const [n, h, wd, c] = x.shape;
  if (c !== cin) throw new Error(`winogradConv3x3: input has ${c} channels, filter expects ${cin}`);
  return tf.tidy(() => {
    const { xp, th, tw } = tilePadded(x);
    const u = filterTransform(w);
    const bandRows = tileRowsPerBand(th, 16 * n * tw * cin, options.bandFloats);
    const bands: tf.Tensor4D[] = [];
    for (let t0 = 0; t0 < th; t0 += bandRows) {
      const rows = Math.min(bandRows, th - t0);
      bands.push(tf.tidy(() => band(tf.slice(xp, [0, 2 * t0, 0, 0], [n, 2 * rows + 2, 2 * tw + 2, cin]), u, rows, tw)));
    }
    const y = bands.length === 1 ? bands[0]! : tf.concat(bands, 1);
    return 2 * th === h && 2 * tw === wd ? y : tf.slice(y, [0, 0, 0, 0], [n, h, wd, cout]);
  });
}

/**
 * `x` padded for 2×2 output tiles: 1 in front, and behind up to the 2·tiles + 2 rows / columns the
 * last 4×4 patch reaches; `th` × `tw` tiles.
 */
function tilePadded(x: tf.Tensor4D): { xp: tf.Tensor4D; th: number; tw: number } {
  const [, h, wd] = x.shape;
  const th = Math.ceil(h / 2);
  const tw = Math.ceil(wd / 2);
  const xp = tf.pad(x, [
    [0, 0],
    [1, 2 * th + 1 - h],
    [1, 2 * tw + 1 - wd],
    [0, 0],
  ]);
  return { xp, th, tw };
}

/** Tile rows per band so that a band's transformed matrices (`perRow` floats a tile row) stay within `bandFloats` (default 16e6). */
function tileRowsPerBand(th: number, perRow: number, bandFloats = 16e6): number {
  return Math.max(1, Math.min(th, Math.floor(bandFloats / perRow)));
}

/**
 * The gradient of `winogradConv3x3(x, w)` — of `tf.conv2d(x, w, 1, "same")` — with respect to
 * the filter, `[3, 3, in, out]`, by the adjoint of the same F(2×2, 3×3) transform: each tile's
 * output gradient becomes `A dY Aᵀ` (4×4), the 16 products `dU = Vᵀ · dM` are matMuls
 * `[in, tiles] × [tiles, out]` over the input transform `V = Bᵀ d B`, and `dw = Gᵀ dU G`. That is
 * 4 multiplications per input pixel and channel pair where the 9 taps of the direct form take 9.
 * The transforms only add and subtract (the sign of `A`'s −1 entries is carried into `Gᵀ · G`),
 * so the result equals the direct gradient to float32 rounding. `dy` is `x`'s shape with `out`
 * channels; bands of tile rows bound the transformed matrices' memory by `bandFloats`.
 */
export function winogradFilterGrad3x3(x: tf.Tensor4D, dy: tf.Tensor4D, options: { readonly bandFloats?: number } = {}): tf.Tensor4D {
  const [n, h, wd, cin] = x.shape;
  const [dn, dh, dw, cout] = dy.shape;
  if (dn !== n || dh !== h || dw !== wd) throw new Error(`winogradFilterGrad3x3: dy is ${dy.shape.join("x")}, expected ${n}x${h}x${wd}x(out) like x (${x.shape.join("x")})`);
  return tf.tidy(() => {
    const { xp, th, tw } = tilePadded(x);
    // The output tiles cover 2·th × 2·tw; the part the forward crops away has no gradient.
    const dyp = 2 * th === h && 2 * tw === wd ? dy : tf.pad(dy, [[0, 0], [0, 2 * th - h], [0, 2 * tw - wd], [0, 0]]);
    const bandRows = tileRowsPerBand(th, 16 * n * tw * (cin + cout), options.bandFloats);
    let du: tf.Tensor | null = null;
    for (let t0 = 0; t0 < th; t0 += bandRows) {
      const rows = Math.min(bandRows, th - t0);
      const part = tf.tidy(() =>
        bandFilterGrad(tf.slice(xp, [0, 2 * t0, 0, 0], [n, 2 * rows + 2, 2 * tw + 2, cin]), tf.slice(dyp, [0, 2 * t0, 0, 0], [n, 2 * rows, 2 * tw, cout]), rows, tw),
      );
      if (du === null) du = part;
      else {
        const sum: tf.Tensor = tf.add(du, part);
        tf.dispose([du, part]);
        du = sum;
      }
    }
    return tf.matMul(tf.tensor2d(G_KRON_SIGNED, [16, 9]), du!.reshape([16, cin * cout]), true, false).reshape([3, 3, cin, cout]) as tf.Tensor4D;
  });
}

/** G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]] and `G ⊗ G` `[16, 9]` (row 4i + l, column 3a + b). */
const G = [
  [1, 0, 0],
  [0.5, 0.5, 0.5],
  [0.5, -0.5, 0.5],
  [0, 0, 1],
] as const;
const G_KRON = Float32Array.from({ length: 144 }, (_, e) => {
  const [r, k] = [Math.floor(e / 9), e % 9];
  return G[r >> 2]![Math.floor(k / 3)]! * G[r & 3]![k % 3]!;
});

/**
 * `G ⊗ G` with row 4i + j negated where exactly one of i, j is 3: the signs of `A dY Aᵀ`'s row and
 * column 3 (−dY's second row / column), moved into the last, smallest transform.
 */
const G_KRON_SIGNED = G_KRON.map((g, e) => {
  const r = Math.floor(e / 9);
  return (r >> 2 === 3) !== ((r & 3) === 3) ? -g : g;
});

/**
 * `G g Gᵀ` for every (in, out) pair: `[3, 3, in, out]` → 16 matrices `[in, out]`, row-major over
 * the 4×4 transformed tap: one matMul `(G ⊗ G) · g` over the 9 taps, then 16 contiguous rows.
 */
function filterTransform(w: tf.Tensor4D): tf.Tensor2D[] {
  const [, , cin, cout] = w.shape;
  const u = tf.matMul(tf.tensor2d(G_KRON, [16, 9]), w.reshape([9, cin * cout]));
  return Array.from({ length: 16 }, (_, k) => tf.slice(u, [k, 0], [1, cin * cout]).reshape([cin, cout]) as tf.Tensor2D);
}

/**
 * `Bᵀ d B` of every 4×4 input patch of a band of `rows` tile rows: `xb` `[N, 2·rows + 2, 2·tw + 2, C]`
 * (already padded) → 16 matrices `[N·rows·tw, C]`, row-major over the 4×4 transformed position.
 */
function inputTransform(xb: tf.Tensor4D, rows: number, tw: number): tf.Tensor2D[] {
  const [n, , wp, c] = xb.shape;
  // Row r = 2·T + a of the band: view [N, rows + 1, 2, Wp·C] and take (T ∈ [i>>1, +rows), a = i & 1).
  const byRow = xb.reshape([n, rows + 1, 2 * wp * c]);
  const patchRow = (i: number): tf.Tensor => tf.slice(byRow, [0, i >> 1, (i & 1) * wp * c], [n, rows, wp * c]).reshape([n * rows, tw + 1, 2 * c]);
  const d = [0, 1, 2, 3].map(patchRow);
  // Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]] on the rows of each patch …
  const r = [tf.sub(d[0]!, d[2]!), tf.add(d[1]!, d[2]!), tf.sub(d[2]!, d[1]!), tf.sub(d[1]!, d[3]!)];
  const v: tf.Tensor2D[] = [];
  for (const ri of r) {
    // … then on its columns (column s = 2·S + b: [N·rows, tw + 1, 2·C] sliced at S ∈ [j>>1, +tw), b = j & 1).
    const col = (j: number): tf.Tensor => tf.slice(ri, [0, j >> 1, (j & 1) * c], [n * rows, tw, c]);
    const e = [0, 1, 2, 3].map(col);
    const vs = [tf.sub(e[0]!, e[2]!), tf.add(e[1]!, e[2]!), tf.sub(e[2]!, e[1]!), tf.sub(e[1]!, e[3]!)];
    v.push(...vs.map((t) => t.reshape([n * rows * tw, c]) as tf.Tensor2D));
    tf.dispose([...e, ...vs]);
  }
  tf.dispose([...d, ...r]);
  return v;
}

/**
 * One band of `rows` tile rows: `xb` `[N, 2·rows + 2, 2·tw + 2, C]` (already padded) →
 * `[N, 2·rows, 2·tw, out]`.
 */
function band(xb: tf.Tensor4D, u: readonly tf.Tensor2D[], rows: number, tw: number): tf.Tensor4D {
  const n = xb.shape[0];
  const cout = u[0]!.shape[1];
  const v = inputTransform(xb, rows, tw);
  const m = v.map((vk, k) => tf.matMul(vk, u[k]!));
  tf.dispose(v);
  // Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]: rows of the 4×4 products, then columns.
  const at = (a: tf.Tensor, b: tf.Tensor, c2: tf.Tensor, d2: tf.Tensor): [tf.Tensor, tf.Tensor] => [tf.addN([a, b, c2]), tf.sub(tf.sub(b, c2), d2)];
  const mm = (i: number, j: number): tf.Tensor => m[4 * i + j]!;
  const t0: tf.Tensor[] = [];
  const t1: tf.Tensor[] = [];
  for (let j = 0; j < 4; j++) {
    const [a, b] = at(mm(0, j), mm(1, j), mm(2, j), mm(3, j));
    t0.push(a);
    t1.push(b);
  }
  const y = [t0, t1].map((t) => at(t[0]!, t[1]!, t[2]!, t[3]!).map((q) => q.reshape([n, rows, tw, cout])));
  // Interleave the 2×2 outputs of each tile: [N, rows, 2, tw, 2, out] → [N, 2·rows, 2·tw, out].
  const rowPairs = y.map(([y0, y1]) => tf.stack([y0!, y1!], 3));
  return tf.stack(rowPairs, 2).reshape([n, 2 * rows, 2 * tw, cout]);
}

/**
 * One band's share of the filter gradient: `xb` `[N, 2·rows + 2, 2·tw + 2, in]` (padded input),
 * `dyb` `[N, 2·rows, 2·tw, out]` → `dU` `[16, in, out]` (unsigned: see `G_KRON_SIGNED`).
 */
function bandFilterGrad(xb: tf.Tensor4D, dyb: tf.Tensor4D, rows: number, tw: number): tf.Tensor3D {
  const n = xb.shape[0];
  const cout = dyb.shape[3];
  const v = inputTransform(xb, rows, tw);
  // dY of tile (T, S) at (a, b): [N·rows, 2, tw, 2·out] sliced at a and at b·out.
  const byTile = dyb.reshape([n * rows, 2, tw, 2 * cout]);
  const y = (a: number, b: number): tf.Tensor => tf.slice(byTile, [0, a, 0, b * cout], [n * rows, 1, tw, cout]).reshape([n * rows * tw, cout]);
  const y0 = [y(0, 0), y(0, 1)];
  const y1 = [y(1, 0), y(1, 1)];
  // A = [[1, 0], [1, 1], [1, −1], [0, −1]] (row 3's sign left to G_KRON_SIGNED) on the rows …
  const r = [y0, [0, 1].map((b) => tf.add(y0[b]!, y1[b]!)), [0, 1].map((b) => tf.sub(y0[b]!, y1[b]!)), y1];
  // … and on the columns: [r0, r0 + r1, r0 − r1, r1].
  const dm = r.flatMap(([c0, c1]) => [c0!, tf.add(c0!, c1!), tf.sub(c0!, c1!), c1!]);
  const du = v.map((vk, k) => tf.matMul(vk, dm[k]!, true, false));
  tf.dispose([...v, ...dm]);
  return tf.stack(du) as tf.Tensor3D;
}
