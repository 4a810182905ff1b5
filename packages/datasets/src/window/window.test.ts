import { describe, expect, it } from "vitest";
import { extractLabelWindow, extractWindow, windowSlices } from "./extract.js";
import { gridDims } from "./grid.js";
import { modelLabelWindow, modelWindow } from "./model-window.js";
import { argmaxClasses, placeSlice, resizeLogits } from "./prediction.js";
import { resizePlanes } from "./resize.js";
import { scaleIntensities } from "./scale.js";

const f32 = (a: number[]) => Float32Array.from(a);

describe("gridDims", () => {
  it("reads 3D / 4D shapes and rejects mismatches", () => {
    expect(gridDims({ data: new Uint8Array(24), shape: [2, 3, 4] })).toEqual([2, 3, 4, 1]);
    expect(gridDims({ data: new Uint8Array(48), shape: [2, 3, 4, 2] })).toEqual([2, 3, 4, 2]);
    expect(() => gridDims({ data: new Uint8Array(5), shape: [2, 3, 4] })).toThrow("5 values for shape [2, 3, 4] (24 expected)");
    expect(() => gridDims({ data: new Uint8Array(4), shape: [2, 2] })).toThrow("3D or 4D");
  });
});

describe("scaleIntensities", () => {
  it("clips to [lo, hi] and scales to [0, 1]", () => {
    const s = scaleIntensities({ data: Int16Array.from([-200, -100, 0, 50, 100, 300]), shape: [6, 1, 1] }, [-100, 100]);
    expect(Array.from(s.data)).toEqual([0, 0, 0.5, 0.75, 1, 1]);
    expect(s.shape).toEqual([6, 1, 1, 1]);
  });
  it("clip null scales each channel by [0, its max]", () => {
    const data = f32([0, 2, 4, -1, /* c1 */ 10, 5, 0, 0, /* c2 */ -3, -1, -2, 0]);
    const s = scaleIntensities({ data, shape: [2, 2, 1, 3] }, null);
    expect(Array.from(s.data)).toEqual([0, 0.5, 1, 0, 1, 0.5, 0, 0, 0, 0, 0, 0]);
  });
});

describe("windowSlices", () => {
  it("clamps at both ends", () => {
    expect(windowSlices(0, 9, 5)).toEqual([0, 0, 0, 1, 2]);
    expect(windowSlices(1, 9, 5)).toEqual([0, 0, 1, 2, 3]);
    expect(windowSlices(4, 9, 5)).toEqual([2, 3, 4, 5, 6]);
    expect(windowSlices(8, 9, 5)).toEqual([6, 7, 8, 8, 8]);
    expect(windowSlices(0, 1, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(windowSlices(3, 9, 1)).toEqual([3]);
  });
  it("rejects even windows and slices outside the volume", () => {
    expect(() => windowSlices(0, 9, 4)).toThrow("odd");
    expect(() => windowSlices(9, 9, 5)).toThrow("outside [0, 8]");
  });
});

describe("extractWindow", () => {
  // X=2, Y=3, Z=4, C=2; value = 1000*c + 100*z + 10*y + x  (readable coordinates)
  const X = 2, Y = 3, Z = 4, C = 2;
  const data = new Float32Array(X * Y * Z * C);
  for (let c = 0; c < C; c++) for (let z = 0; z < Z; z++) for (let y = 0; y < Y; y++) for (let x = 0; x < X; x++) {
    data[x + X * (y + Y * (z + Z * c))] = 1000 * c + 100 * z + 10 * y + x;
  }
  const vol = { data, shape: [X, Y, Z, C] as [number, number, number, number] };

  it("lays out [C, D, H=x, W=y] with edge-clamped slices", () => {
    const w = extractWindow(vol, 0, 3); // slices [0, 0, 1]
    expect(w.length).toBe(C * 3 * X * Y);
    // c=0, d=0: rows h=x, columns w=y
    expect(Array.from(w.subarray(0, 6))).toEqual([0, 10, 20, 1, 11, 21]);
    // c=0, d=2 -> z=1
    expect(Array.from(w.subarray(12, 18))).toEqual([100, 110, 120, 101, 111, 121]);
    // c=1, d=1 -> z=0 (clamped)
    expect(Array.from(w.subarray(24, 30))).toEqual([1000, 1010, 1020, 1001, 1011, 1021]);
    const last = extractWindow(vol, 3, 3); // slices [2, 3, 3]
    expect(last[((1 * 3 + 2) * X + 1) * Y + 2]).toBe(1000 + 300 + 20 + 1);
    expect(last[((0 * 3 + 0) * X + 0) * Y + 1]).toBe(200 + 10);
  });

  it("label windows use the same layout, one plane per slice", () => {
    const lab = new Int16Array(X * Y * Z);
    for (let i = 0; i < lab.length; i++) lab[i] = data[i]!;
    const w = extractLabelWindow({ data: lab, shape: [X, Y, Z] }, 3, 3);
    expect(w).toBeInstanceOf(Int32Array);
    expect(Array.from(w.subarray(0, 6))).toEqual([200, 210, 220, 201, 211, 221]);
    expect(Array.from(w.subarray(12, 18))).toEqual([300, 310, 320, 301, 311, 321]);
    expect(() => extractLabelWindow({ data: new Uint8Array(48), shape: [2, 3, 4, 2] }, 0, 3)).toThrow("3D label map");
  });
});

describe("resizePlanes", () => {
  const row = (a: number[], out: number, mode: "area" | "bilinear" | "nearest" | "auto") =>
    Array.from(resizePlanes(f32(a), 1, [1, a.length], [1, out], mode));

  it("area = adaptive average pooling bins", () => {
    expect(row([1, 2, 3, 4], 2, "area")).toEqual([1.5, 3.5]);
    expect(row([0, 3, 6], 2, "area")).toEqual([1.5, 4.5]); // bins [0,2) and [1,3)
    expect(row([2, 4, 6, 8, 10], 1, "area")).toEqual([6]);
  });

  it("bilinear = half-pixel centres, clamped at 0 (PyTorch align_corners=False)", () => {
    expect(row([0, 4], 4, "bilinear")).toEqual([0, 1, 3, 4]);
    expect(row([0, 10, 20], 5, "bilinear").map((v) => Math.round(v * 1e5) / 1e5)).toEqual([0, 4, 10, 16, 20]);
  });

  it("nearest = floor(o * in / out)", () => {
    expect(row([7, 9], 4, "nearest")).toEqual([7, 7, 9, 9]);
    expect(row([1, 2, 3, 4], 2, "nearest")).toEqual([1, 3]);
    expect(row([1, 2, 3], 2, "nearest")).toEqual([1, 2]);
  });

  it("auto shrinks with area and grows with bilinear, per axis", () => {
    // [H=4, W=2] -> [2, 4]: W grows (bilinear), H shrinks (area)
    const plane = f32([0, 4, 0, 4, 8, 12, 8, 12]);
    expect(Array.from(resizePlanes(plane, 1, [4, 2], [2, 4]))).toEqual([0, 1, 3, 4, 8, 9, 11, 12]);
    expect(row([1, 2, 3, 4], 2, "auto")).toEqual([1.5, 3.5]);
    expect(row([0, 4], 4, "auto")).toEqual([0, 1, 3, 4]);
  });

  it("keeps planes apart, keeps constants, keeps the array type", () => {
    const two = f32([1, 1, 1, 1, 5, 5, 5, 5]);
    for (const mode of ["area", "bilinear", "nearest"] as const) {
      expect(Array.from(resizePlanes(two, 2, [2, 2], [3, 5], mode))).toEqual([...Array(15).fill(1), ...Array(15).fill(5)]);
    }
    const lab = resizePlanes(Int32Array.from([0, 1, 2, 3]), 1, [2, 2], [4, 4], "nearest");
    expect(lab).toBeInstanceOf(Int32Array);
    expect(Array.from(lab)).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3]);
    const same = f32([1, 2, 3, 4]);
    const copy = resizePlanes(same, 1, [2, 2], [2, 2]);
    expect(copy).not.toBe(same);
    expect(Array.from(copy)).toEqual([1, 2, 3, 4]);
  });

  it("2x area down-sampling equals 2x2 block means", () => {
    const p = f32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(Array.from(resizePlanes(p, 1, [4, 4], [2, 2], "area"))).toEqual([3.5, 5.5, 11.5, 13.5]);
  });

  it("rejects wrong sizes", () => {
    expect(() => resizePlanes(f32([1, 2, 3]), 1, [2, 2], [1, 1])).toThrow("3 values for [1, 2, 2]");
    expect(() => resizePlanes(f32([1]), 1, [1, 1], [0, 1])).toThrow("invalid output size");
  });
});

describe("modelWindow / modelLabelWindow", () => {
  it("extract then resize to img", () => {
    const X = 4, Y = 4, Z = 3;
    const data = new Float32Array(X * Y * Z);
    for (let i = 0; i < data.length; i++) data[i] = i / data.length;
    const vol = scaleIntensities({ data, shape: [X, Y, Z] }, [0, 1]);
    expect(modelWindow(vol, 1, { window: 3, img: [4, 4] })).toEqual(extractWindow(vol, 1, 3));
    const small = modelWindow(vol, 1, { window: 3, img: [2, 2] });
    expect(small).toEqual(resizePlanes(extractWindow(vol, 1, 3), 3, [4, 4], [2, 2], "area"));
    const lab = new Uint8Array(X * Y * Z).map((_, i) => i % 3);
    const lw = modelLabelWindow({ data: lab, shape: [X, Y, Z] }, 0, { window: 3, img: [8, 8] });
    expect(lw).toEqual(resizePlanes(extractLabelWindow({ data: lab, shape: [X, Y, Z] }, 0, 3), 3, [4, 4], [8, 8], "nearest"));
  });
});

describe("prediction helpers", () => {
  it("argmaxClasses picks the largest score, first on ties", () => {
    const scores = f32([/* k0 */ 1, 0, 5, 2, /* k1 */ 2, 0, 1, 2, /* k2 */ 0, 3, 1, 1]);
    expect(Array.from(argmaxClasses(scores, 3))).toEqual([1, 2, 0, 0]);
    expect(() => argmaxClasses(f32([1, 2, 3]), 2)).toThrow("not a multiple");
  });
  it("resizeLogits resizes every class plane back to the native size", () => {
    const logits = f32([0, 4, 0, 4, /* k1 */ 1, 1, 1, 1]);
    const back = resizeLogits(logits, 2, [2, 2], [2, 4]);
    expect(Array.from(back)).toEqual([0, 1, 3, 4, 0, 1, 3, 4, 1, 1, 1, 1, 1, 1, 1, 1]);
  });
  it("placeSlice writes a row-major [x][y] plane into NIfTI order", () => {
    const vol = new Uint8Array(2 * 3 * 2);
    placeSlice(vol, [2, 3, 2], 1, [1, 2, 3, 4, 5, 6]); // plane[x*3 + y]
    // vol[x + 2*(y + 3*1)]
    expect(Array.from(vol.subarray(6))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(vol.subarray(0, 6))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() => placeSlice(vol, [2, 3, 2], 2, [1, 2, 3, 4, 5, 6])).toThrow("outside");
  });
});
