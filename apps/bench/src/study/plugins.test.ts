import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mergeStudies } from "./merge.js";
import { checkStudyPlugins } from "./plugins.js";
import { sampleResults } from "./testing-results.js";

const triangle = { name: "transseg-strategy-triangle", version: "0.1.0", sha256: "a".repeat(64), file: "/old/dist/triangle.js", provides: { strategies: ["triangle"] } };

describe("a study's plugins", () => {
  it("must be loaded again, same name, version and module SHA-256, wherever they are now", () => {
    const settings = { plugins: [triangle] };
    expect(() => checkStudyPlugins(settings, [{ ...triangle, file: "/new/dist/triangle.js" }], "study.json")).not.toThrow();
    expect(() => checkStudyPlugins(settings, [], "study.json")).toThrow("study.json: the study was run with plugin transseg-strategy-triangle 0.1.0 (sha256 aaaaaaaaaaaa…); load it with --plugin (it was /old/dist/triangle.js)");
    expect(() => checkStudyPlugins(settings, [{ ...triangle, version: "0.2.0", sha256: "b".repeat(64) }], "study.json")).toThrow(/run with plugin transseg-strategy-triangle 0\.1\.0 \(sha256 a{12}…\), but transseg-strategy-triangle 0\.2\.0 \(sha256 b{12}…\) is loaded$/);
    expect(() => checkStudyPlugins({ plugins: [] }, [triangle], "study.json")).not.toThrow();
  });

  it("merge refuses a study folder whose plugins are not loaded, naming its study.json", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-merge-plugins-"));
    mkdirSync(join(dir, "s0"));
    writeFileSync(join(dir, "s0", "study.json"), JSON.stringify({ ...sampleResults().results.settings, plugins: [triangle] }));
    expect(() => mergeStudies([join(dir, "s0")], join(dir, "merged"))).toThrow(/s0\/study\.json: the study was run with plugin transseg-strategy-triangle 0\.1\.0/);
  });
});
