import { describe, expect, it } from "vitest";
import type { SourceAdapter } from "../adapter.js";
import { checkAdapterConformance } from "./check-adapter.js";
import { builtinAdapters } from "./index.js";
import { timmVitAdapter } from "./timm-vit.js";

describe("checkAdapterConformance (the kit's plugin rules without a test runner)", () => {
  it("passes every built-in adapter", () => {
    for (const a of Object.values(builtinAdapters)) expect(() => checkAdapterConformance(a)).not.toThrow();
  });

  it("refuses a bad id, a missing description or function, and an adapter that claims everything", () => {
    const base: SourceAdapter = { ...timmVitAdapter, id: "my-layout" };
    expect(() => checkAdapterConformance(base)).not.toThrow();
    expect(() => checkAdapterConformance({ ...base, id: "My_Layout" })).toThrow(/^source adapter id "My_Layout" must be lower-case kebab-case/);
    expect(() => checkAdapterConformance({ ...base, description: "short" })).toThrow(/"my-layout" needs a description/);
    expect(() => checkAdapterConformance({ ...base, toCanonical: undefined } as never)).toThrow(/"my-layout" has no toCanonical function/);
    expect(() => checkAdapterConformance({ ...base, detect: () => true })).toThrow(/detects a checkpoint with no tensors/);
    expect(() => checkAdapterConformance({ ...base, detect: (k) => k.length > 0 })).toThrow(/detects keys of no layout/);
    expect(() => checkAdapterConformance({ ...base, detect: () => { throw new Error("nope"); } })).toThrow(/detect\(\[\]\) threw: nope/);
  });
});
