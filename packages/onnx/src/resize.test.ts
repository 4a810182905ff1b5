import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { GraphBuilder } from "./graph-builder.js";
import { resizeBilinear } from "./ops.js";

/** PyTorch's bilinear `align_corners=False` along one axis (SPEC §3): src = (dst + 0.5)·in/out − 0.5, clamped at 0; upper neighbour clamped to in − 1. */
function torchLinear1d(n: number, m: number): { i0: number[]; i1: number[]; l: number[] } {
  const i0: number[] = [], i1: number[] = [], l: number[] = [];
  for (let d = 0; d < m; d++) {
    const src = Math.max(0, ((d + 0.5) * n) / m - 0.5);
    const a = Math.floor(src);
    i0.push(a);
    i1.push(a < n - 1 ? a + 1 : a);
    l.push(src - a);
  }
  return { i0, i1, l };
}

function torchBilinear(x: Float32Array, h: number, w: number, oh: number, ow: number): Float32Array {
  const ry = torchLinear1d(h, oh);
  const rx = torchLinear1d(w, ow);
  const out = new Float32Array(oh * ow);
  for (let y = 0; y < oh; y++) {
    for (let xx = 0; xx < ow; xx++) {
      const at = (r: number, c: number) => x[r * w + c]!;
      const top = at(ry.i0[y]!, rx.i0[xx]!) * (1 - rx.l[xx]!) + at(ry.i0[y]!, rx.i1[xx]!) * rx.l[xx]!;
      const bot = at(ry.i1[y]!, rx.i0[xx]!) * (1 - rx.l[xx]!) + at(ry.i1[y]!, rx.i1[xx]!) * rx.l[xx]!;
      out[y * ow + xx] = top * (1 - ry.l[y]!) + bot * ry.l[y]!;
    }
  }
  return out;
}

describe("Resize linear/half_pixel in onnxruntime-node equals PyTorch's align_corners=False at the borders", () => {
  // up- and down-sampling, 1-pixel inputs, non-integer ratios (the PSP resizes s -> n)
  const cases: [number, number, number, number][] = [[2, 3, 4, 6], [3, 7, 7, 3], [1, 1, 5, 4], [6, 6, 2, 2], [6, 5, 16, 12], [4, 4, 16, 16], [5, 2, 3, 9]];
  for (const [h, w, oh, ow] of cases) {
    it(`${h}x${w} -> ${oh}x${ow}`, async () => {
      const g = new GraphBuilder(17);
      const input = g.name("input");
      const out = g.name("logits");
      g.output(resizeBilinear(g, input, oh, ow, "up"), out);
      const bytes = g.encode({ input: { name: input, dims: ["batch", 1, h, w] }, output: { name: out, dims: ["batch", 1, oh, ow] } });
      const s = await ort.InferenceSession.create(bytes);
      const x = Float32Array.from({ length: h * w }, (_, i) => Math.sin(1.7 * i) * 3 + i);
      const y = (await s.run({ input: new ort.Tensor("float32", x, [1, 1, h, w]) })).logits!.data as Float32Array;
      const want = torchBilinear(x, h, w, oh, ow);
      for (let i = 0; i < want.length; i++) expect(Math.abs(y[i]! - want[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(want[i]!)));
      await s.release();
    });
  }
});
