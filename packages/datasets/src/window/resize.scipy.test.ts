import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createRng } from "../random/rng.js";
import { resizePlanes } from "./resize.js";

// An independent reference for the half-pixel bilinear rule: scipy.ndimage.zoom with order=1,
// grid_mode=True (pixel edges aligned, i.e. align_corners=False) and mode="nearest" (edge
// clamping) computes PyTorch's bilinear align_corners=False. Needs python3 with numpy + scipy.
function hasScipy(): boolean {
  try {
    execFileSync("python3", ["-c", "import numpy, scipy.ndimage"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const scipy = hasScipy();
if (!scipy) console.warn("resize.scipy.test: python3 with numpy + scipy not found; skipping the scipy comparison");

const script = `
import json, sys
import numpy as np, scipy.ndimage as nd
cases = json.load(sys.stdin)
out = []
for c in cases:
    x = np.array(c["data"], dtype=np.float64).reshape(c["inH"], c["inW"])
    z = nd.zoom(x, (c["outH"] / c["inH"], c["outW"] / c["inW"]), order=1, grid_mode=True, mode="nearest")
    assert z.shape == (c["outH"], c["outW"]), z.shape
    out.append(z.ravel().tolist())
json.dump(out, sys.stdout)
`;

describe.skipIf(!scipy)("resizePlanes bilinear vs scipy.ndimage.zoom(order=1, grid_mode=True)", () => {
  it("agrees to 1e-5 on random planes, up and down", () => {
    const rng = createRng(77);
    const sizes: [number, number, number, number][] = [[5, 7, 12, 9], [16, 16, 40, 40], [24, 10, 7, 31], [9, 13, 9, 26], [33, 20, 11, 8]];
    const cases = sizes.map(([inH, inW, outH, outW]) => ({
      inH, inW, outH, outW, data: Array.from({ length: inH * inW }, () => Math.round(rng.uniform(-100, 100) * 1000) / 1000),
    }));
    const ref = JSON.parse(execFileSync("python3", ["-c", script], { input: JSON.stringify(cases) }).toString()) as number[][];
    cases.forEach((c, i) => {
      const ours = resizePlanes(Float64Array.from(c.data), 1, [c.inH, c.inW], [c.outH, c.outW], "bilinear");
      const maxErr = Math.max(...Array.from(ours, (v, j) => Math.abs(v - ref[i]![j]!)));
      expect(maxErr, `${c.inH}x${c.inW} -> ${c.outH}x${c.outW}`).toBeLessThan(1e-5);
    });
  });
});
