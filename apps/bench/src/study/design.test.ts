import { builtinProfiles, SYNTH_GENERATOR_VERSION } from "@transseg/datasets";
import { describe, expect, it } from "vitest";
import { builtinBudgets, quickBudget } from "./budgets.js";
import { canonicalJson, designParts, studyDesign } from "./design.js";
import { sampleResults } from "./testing-results.js";

describe("design hash", () => {
  const { settings } = sampleResults().results;
  const base = studyDesign(settings);
  const changed = (d: ReturnType<typeof studyDesign>) => Object.keys(d.parts).filter((k) => d.parts[k] !== base.parts[k]);

  it("canonical JSON sorts object keys at every level and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it("hashes the budget, the datasets' profiles (with phantoms), the generator, the variants and the sources", () => {
    const parts = designParts(settings) as { budget: unknown; profiles: Record<string, unknown>; generator: string; variants: Record<string, unknown> };
    expect(Object.keys(parts)).toEqual(["budget", "profiles", "generator", "variants", "sources", "plugins", "study"]);
    expect(parts.budget).toBe(quickBudget);
    expect(parts.profiles.ACDC).toBe(builtinProfiles.ACDC);
    expect(parts.generator).toBe(SYNTH_GENERATOR_VERSION);
    expect(Object.keys(parts.variants)).toEqual(["ours", "2d", "random"]);
    expect(base.generator).toBe(SYNTH_GENERATOR_VERSION);
    expect(base.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(studyDesign(settings)).toEqual(base);
  });

  it("does not change with file paths or timing; changes with what the numbers depend on, in the part that changed", () => {
    expect(studyDesign({ ...settings, sources: settings.sources.map((s) => ({ ...s, file: `/elsewhere/${s.name}` })) })).toEqual(base);
    expect(sampleResults().results.design).toEqual(base); // the jobs' timing is no input
    const otherSha = studyDesign({ ...settings, sources: settings.sources.map((s, i) => (i === 0 ? { ...s, sha256: "e".repeat(64) } : s)) });
    expect(otherSha.sha256).not.toBe(base.sha256);
    expect(changed(otherSha)).toEqual(["sources"]);
    expect(changed(studyDesign({ ...settings, sources: settings.sources.map((s) => ({ ...s, recipe: null })) }))).toEqual(["sources"]);
    const budgets = { ...builtinBudgets, quick: { ...quickBudget, train: { ...quickBudget.train, steps: 101 } } };
    expect(changed(studyDesign(settings, { budgets }))).toEqual(["budget"]);
    const acdc = builtinProfiles.ACDC!;
    const profiles = { ...builtinProfiles, ACDC: { ...acdc, phantom: acdc.phantom.map((p, i) => (i === 0 ? { ...p, size: 2 } : p)) } };
    expect(changed(studyDesign(settings, { profiles }))).toEqual(["profiles"]);
    expect(changed(studyDesign({ ...settings, seeds: [0, 1] }))).toEqual(["study"]);
    expect(changed(studyDesign({ ...settings, root: "/data", split: "paper" }))).toEqual(["study"]); // the split rule, not the path
    expect(studyDesign({ ...settings, root: "/elsewhere", split: "paper" })).toEqual(studyDesign({ ...settings, root: "/data", split: "paper" }));
  });

  it("hashes each plugin by name, version, module SHA-256 and what it adds, not by where it was found", () => {
    const plugin = { name: "transseg-strategy-triangle", version: "0.1.0", sha256: "a".repeat(64), file: "/x/triangle.js", provides: { strategies: ["triangle"] } };
    const withPlugin = studyDesign({ ...settings, plugins: [plugin] });
    expect(changed(withPlugin)).toEqual(["plugins"]);
    expect(studyDesign({ ...settings, plugins: [{ ...plugin, file: "/elsewhere/triangle.js" }] })).toEqual(withPlugin);
    for (const other of [{ version: "0.2.0" }, { sha256: "b".repeat(64) }, { provides: { strategies: ["triangle", "box"] } }]) {
      expect(studyDesign({ ...settings, plugins: [{ ...plugin, ...other }] }).parts.plugins).not.toBe(withPlugin.parts.plugins);
    }
  });
});
