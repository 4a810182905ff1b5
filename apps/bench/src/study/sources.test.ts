import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { f32Entry, writeSafetensors } from "@transseg/weights";
import { describe, expect, it } from "vitest";
import { BUNDLED_ENCODERS } from "./bundled.js";
import { sharedStructures, sourceNotes } from "./source-notes.js";
import { bundledSources, parseRecipe, plainLabels, parseSources, readRecipe, resolveSource } from "./sources.js";
import { sampleResults, SAMPLE_RECIPES } from "./testing-results.js";

const bundled = { medical: "/b/medical.safetensors", natural: "/b/natural.safetensors" };

describe("--pretrained sources", () => {
  it("one path is the unnamed source; a bundled name is that encoder; name=path items are named", () => {
    expect(parseSources("a.pth", bundled)).toEqual([{ name: "pretrained", file: resolve("a.pth"), bundled: false }]);
    expect(parseSources("natural", bundled)).toEqual([{ name: "natural", file: "/b/natural.safetensors", bundled: true }]);
    expect(parseSources("medical=/c/a.pth, natural", bundled)).toEqual([
      { name: "medical", file: "/c/a.pth", bundled: false },
      { name: "natural", file: "/b/natural.safetensors", bundled: true },
    ]);
    expect(bundledSources(["natural"], bundled)).toEqual([{ name: "natural", file: "/b/natural.safetensors", bundled: true }]);
  });

  it("labels stay plain only for the one unnamed checkpoint", () => {
    expect(plainLabels(["pretrained"])).toBe(true);
    expect(plainLabels(["medical"])).toBe(false);
    expect(plainLabels(["pretrained", "natural"])).toBe(false);
  });

  it("fails with one line naming what is wrong", () => {
    expect(() => parseSources("a.pth,b.pth", bundled)).toThrow(/name each of several checkpoints \(name=path\), got "a.pth"/);
    expect(() => parseSources("x=a.pth,x=b.pth", bundled)).toThrow(/source "x" is given twice/);
    expect(() => parseSources("natual", bundled)).toThrow(/unknown bundled encoder "natual": did you mean "natural"\?/);
    expect(() => parseSources("my source=a.pth", bundled)).toThrow(/source name "my source" may hold only/);
    expect(() => parseSources(" , ", bundled)).toThrow(/--pretrained: empty/);
    expect(() => bundledSources(["imagenet"], bundled)).toThrow(/unknown bundled encoder "imagenet"/);
  });

  it("the bundled encoders exist", () => {
    for (const f of Object.values(BUNDLED_ENCODERS)) expect(existsSync(f)).toBe(true);
  });

  it("records each source's SHA-256 and its transseg_pretrain recipe from the safetensors header", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-sources-"));
    const withRecipe = join(dir, "a.safetensors");
    writeSafetensors(withRecipe, new Map([["w", f32Entry([2], Float32Array.of(1, 2))]]), { metadata: { transseg_pretrain: SAMPLE_RECIPES.natural } });
    const plain = join(dir, "b.safetensors");
    writeSafetensors(plain, new Map([["w", f32Entry([1], Float32Array.of(1))]]));
    const other = join(dir, "c.pth");
    writeFileSync(other, "PK\u0003\u0004 not a safetensors file");
    expect(readRecipe(withRecipe)).toBe(SAMPLE_RECIPES.natural);
    expect(readRecipe(plain)).toBeNull();
    expect(readRecipe(other)).toBeNull();
    const s = resolveSource({ name: "natural", file: withRecipe, bundled: false });
    expect(s).toEqual({ name: "natural", file: withRecipe, sha256: createHash("sha256").update(readFileSync(withRecipe)).digest("hex"), recipe: SAMPLE_RECIPES.natural });
    expect(() => resolveSource({ name: "x", file: join(dir, "nope.pth"), bundled: false })).toThrow(/nope\.pth: pre-trained checkpoint not found$/);
    expect(() => resolveSource({ name: "x", file: join(dir, "nope.pth"), bundled: true })).toThrow(/re-create it with apps\/bench\/scripts\/pretrain-2d\.ts/);
  });

  it("parseRecipe reads kind and profiles, tolerating anything else", () => {
    expect(parseRecipe(SAMPLE_RECIPES.medical)).toEqual({ kind: "medical-like", profiles: ["BTCV"] });
    expect(parseRecipe('{"profiles":["BTCV",3]}')).toEqual({ kind: null, profiles: ["BTCV"] });
    expect(parseRecipe("{not json")).toBeNull();
    expect(parseRecipe(null)).toBeNull();
  });
});

describe("pre-training source notes", () => {
  it("sharedStructures lists the study's datasets that share a label name with the pre-training profiles", () => {
    expect(sharedStructures(["BTCV"], ["ACDC", "Task03_Liver", "Task07_Pancreas", "Task09_Spleen", "BTCV"])).toEqual([
      { dataset: "Task03_Liver", shared: ["liver"] },
      { dataset: "Task07_Pancreas", shared: ["pancreas"] },
      { dataset: "Task09_Spleen", shared: ["spleen"] },
    ]);
    expect(sharedStructures(["FormulaShapes"], ["Task09_Spleen"])).toEqual([]);
  });


  it("a BTCV recipe resembles the evaluation tasks (shared organs); the natural-like one is named; no recipe is said", () => {
    const { settings } = sampleResults().results;
    const s = { ...settings, datasets: ["ACDC", "Task03_Liver", "Task09_Spleen"], sources: [...settings.sources, { name: "imagenet", file: "/x/in.pth", sha256: "f".repeat(64), recipe: null }] };
    const [medical, natural, imagenet] = sourceNotes(s);
    expect(medical!.text).toContain("Pre-trained on synthetic phantoms of BTCV.");
    expect(medical!.text).toContain("its phantoms share liver with Task03_Liver, spleen with Task09_Spleen), so its transfer is closer to in-domain than ImageNet's");
    expect(medical!.text).not.toContain("ACDC");
    expect(natural!.text).toContain("formula-driven natural-like source");
    expect(natural!.text).not.toContain("in-domain");
    expect(imagenet).toMatchObject({ name: "imagenet", file: "in.pth" });
    expect(imagenet!.text).toMatch(/no transseg_pretrain recipe/);
  });
});
