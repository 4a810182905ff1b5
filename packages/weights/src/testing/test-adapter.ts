/**
 * Conformance kit for source-layout adapters. An adapter's test calls
 * `testAdapter(adapter, sample)` with a small checkpoint in the adapter's layout and the
 * canonical tensors it must produce. Checked: the plugin's shape; detection (its own sample yes,
 * nothing else from the built-ins claims it, empty / foreign keys no); `toCanonical` is lazy
 * (reads no values), emits only canonical names, reproduces the expected tensors exactly, leaves
 * its input alone, and refuses keys it cannot map with a LayoutError.
 */
import { describe, expect, it } from "vitest";
import type { SourceAdapter } from "../adapter.js";
import { isCanonicalName } from "../adapters/canonical.js";
import { checkAdapterConformance } from "../adapters/check-adapter.js";
import { builtinAdapters } from "../adapters/index.js";
import { LayoutError } from "../errors.js";
import { f32Entry, type TensorEntry, type TensorMap } from "../tensor.js";
import { expectSameTensors } from "./expect-tensors.js";

export interface AdapterSample {
  /** Title in the test report. */
  name: string;
  /** Tensors named as this layout names them. */
  source: TensorMap;
  /** The canonical tensors `toCanonical(source)` must give. */
  expected: TensorMap;
  /** Skip with this reason (e.g. shared fixtures absent). */
  skip?: string;
}

/** Wraps every entry so reads can be counted. */
function counting(map: TensorMap): { map: TensorMap; reads: () => number } {
  let n = 0;
  const out = new Map<string, TensorEntry>();
  for (const [k, e] of map) out.set(k, { dtype: e.dtype, shape: e.shape, read: () => { n++; return e.read(); } });
  return { map: out, reads: () => n };
}

export function testAdapter(adapter: SourceAdapter, sample: AdapterSample): void {
  describe(`source adapter "${adapter.id}" (conformance): ${sample.name}`, () => {
    it("is a well-formed plugin", () => {
      expect(() => checkAdapterConformance(adapter)).not.toThrow();
    });

    describe.skipIf(!!sample.skip)(sample.skip ? `skipped: ${sample.skip}` : "sample", () => {
      it("detects its own layout, and no other built-in adapter does", () => {
        const keys = [...sample.source.keys()];
        expect(adapter.detect(keys)).toBe(true);
        const others = Object.values(builtinAdapters).filter((a) => a.id !== adapter.id && a.detect(keys)).map((a) => a.id);
        expect(others).toEqual([]);
      });

      it("maps lazily to canonical names and reproduces the expected tensors exactly", () => {
        const { map, reads } = counting(sample.source);
        const before = [...map.keys()];
        const out = adapter.toCanonical(map);
        expect(reads(), "toCanonical must not read values").toBe(0);
        expect([...map.keys()]).toEqual(before);
        const bad = [...out.keys()].filter((k) => !isCanonicalName(k));
        expect(bad, "non-canonical names").toEqual([]);
        expectSameTensors(out, sample.expected);
      });

      it("refuses a key it cannot map", () => {
        const extra = new Map(sample.source);
        extra.set("zz_not_a_layer.weight", f32Entry([1], new Float32Array(1)));
        expect(adapter.detect([...extra.keys()])).toBe(false);
        expect(() => adapter.toCanonical(extra)).toThrow(LayoutError);
        expect(() => adapter.toCanonical(extra)).toThrow(/zz_not_a_layer\.weight/);
      });
    });
  });
}
