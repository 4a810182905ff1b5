import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readSettings, studyIdentity } from "./outputs.js";
import { sampleResults } from "./testing-results.js";

describe("study.json", () => {
  const settings = sampleResults().results.settings;

  it("a format-2 study written before plugins and the paper's splits reads as none, and a seeded split of its root", () => {
    const { plugins: _p, split: _s, ...old } = settings;
    for (const [root, split] of [[null, null], ["/data", "seeded"]] as const) {
      const dir = mkdtempSync(join(tmpdir(), "bench-old-study-"));
      writeFileSync(join(dir, "study.json"), JSON.stringify({ ...old, root }));
      expect(readSettings(dir)).toMatchObject({ root, split, plugins: [] });
    }
  });

  it("identity: key order and where checkpoints and plugins were found do not matter; what they are does", () => {
    const plugin = { name: "p", version: "1.0.0", sha256: "c".repeat(64), file: "/a/p.js", provides: { strategies: ["p"] } };
    const a = { ...settings, plugins: [plugin] };
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    expect(studyIdentity(reordered)).toBe(studyIdentity(a));
    expect(studyIdentity({ ...a, plugins: [{ ...plugin, file: "/b/p.js" }], sources: a.sources.map((s) => ({ ...s, file: "/elsewhere" })) })).toBe(studyIdentity(a));
    expect(studyIdentity({ ...a, plugins: [{ ...plugin, sha256: "d".repeat(64) }] })).not.toBe(studyIdentity(a));
    expect(studyIdentity({ ...a, split: "paper", root: "/data" })).not.toBe(studyIdentity({ ...a, split: "seeded", root: "/data" }));
  });
});
