/** Assertions on TensorMaps for tests: same names, dtypes, shapes and values. */
import { expect } from "vitest";
import { toFloat32, type TensorMap } from "../tensor.js";

export interface SameTensorsOptions {
  /** Compare decoded float values with this absolute tolerance instead of bit-exact raw data. */
  atol?: number;
  /** Also require the same dtype (default true; false compares decoded values across dtypes). */
  dtype?: boolean;
}

/** Asserts two maps hold the same tensors (exactly, unless a tolerance is stated). */
export function expectSameTensors(actual: TensorMap, expected: TensorMap, options: SameTensorsOptions = {}): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, e] of expected) {
    const a = actual.get(name)!;
    expect({ name, shape: [...a.shape] }).toEqual({ name, shape: [...e.shape] });
    if (options.dtype !== false) expect({ name, dtype: a.dtype }).toEqual({ name, dtype: e.dtype });
    if (options.atol === undefined && options.dtype !== false) {
      const x = a.read();
      const y = e.read();
      const bx = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
      const by = new Uint8Array(y.buffer, y.byteOffset, y.byteLength);
      if (!Buffer.from(bx).equals(Buffer.from(by))) expect({ name, values: [...x] }).toEqual({ name, values: [...y] });
    } else {
      const x = toFloat32(a);
      const y = toFloat32(e);
      let worst = 0;
      let at = -1;
      for (let i = 0; i < y.length; i++) {
        const d = Math.abs(x[i]! - y[i]!);
        if (!(d <= (options.atol ?? 0))) { worst = d; at = i; break; }
      }
      expect({ name, firstOutOfTolerance: at, diff: worst }).toEqual({ name, firstOutOfTolerance: -1, diff: 0 });
    }
  }
}
