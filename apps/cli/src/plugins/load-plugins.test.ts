import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { describePlugin, loadPlugins } from "./load-plugins.js";
import { pluginSpecs } from "./options.js";
import { PluginError } from "./plugin-error.js";
import { isPathSpec, resolvePluginModule } from "./resolve-module.js";

const fixtures = resolve(import.meta.dirname, "../../test-plugins");
const at = (name: string) => join(fixtures, name);
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** A package `name` installed under `<dir>/node_modules`, whose entry defines a strategy without imports. */
function installPackage(dir: string, name: string, version: string): void {
  const pkg = join(dir, "node_modules", ...name.split("/"));
  mkdirSync(join(pkg, "dist"), { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name, version, type: "module", exports: { ".": { types: "./dist/index.d.ts", import: "./dist/index.js" } } }));
  writeFileSync(
    join(pkg, "dist", "index.js"),
    `const w = (K) => new Array(K).fill(1 / K);
export const flat = {
  id: "flat",
  description: "beyond the paper: average inflation, written without imports",
  beyondPaper: true,
  identity: { statement: "w_k = 1/K", depthWeights: w },
  inflate(kernel, shape, K) {
    const plane = shape[2] * shape[3];
    const out = new Float32Array(kernel.length * K);
    for (let p = 0; p < shape[0] * shape[1]; p++) for (let k = 0; k < K; k++) for (let i = 0; i < plane; i++) out[(p * K + k) * plane + i] = kernel[p * plane + i] / K;
    return out;
  },
};
`,
  );
}

const refused = async (specs: string[], message: RegExp) => {
  const e = await loadPlugins(specs, { cwd: fixtures }).then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(PluginError);
  expect((e as Error).message).toMatch(message);
  expect((e as Error).message.split("\n")).toHaveLength(1);
};

describe("loadPlugins", () => {
  it("adds a strategy from a file, records its name and SHA-256, and loads a module given twice once", async () => {
    const loaded = await loadPlugins(["./triangle.ts", at("triangle.ts")], { cwd: fixtures });
    expect(Object.keys(loaded.added.strategies)).toEqual(["triangle"]);
    expect(loaded.added.strategies.triangle!.id).toBe("triangle");
    expect(loaded.plugins).toEqual([{ name: "triangle.ts", version: null, sha256: sha256(at("triangle.ts")), file: at("triangle.ts"), provides: { strategies: ["triangle"] } }]);
    expect(loaded.args).toEqual([at("triangle.ts")]);
    expect(describePlugin(loaded.plugins[0]!)).toBe(`triangle.ts (sha256 ${sha256(at("triangle.ts")).slice(0, 12)}…): inflation strategy triangle`);
  });

  it("adds one plugin of every kind, each passing its kind's kit (profile, source layout, loss, decoder)", async () => {
    const loaded = await loadPlugins([at("every-kind.ts")]);
    expect(loaded.plugins[0]!.provides).toEqual({ adapters: ["my-layout"], profiles: ["MyTask"], losses: ["my-dice-ce"], decoders: ["my-head"] });
    expect(loaded.added.profiles.MyTask!.classes).toBe(2);
    expect(Object.keys(loaded.added.decoders)).toEqual(["my-head"]);
  }, 60_000);

  it("finds an installed package by name and records its name and version", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cli-plugin-pkg-"));
    installPackage(dir, "@someone/transseg-flat", "1.2.3");
    const loaded = await loadPlugins(["@someone/transseg-flat"], { cwd: join(dir) });
    expect(loaded.plugins[0]).toMatchObject({ name: "@someone/transseg-flat", version: "1.2.3", file: join(dir, "node_modules/@someone/transseg-flat/dist/index.js"), provides: { strategies: ["flat"] } });
    expect(loaded.args).toEqual([join(dir, "node_modules/@someone/transseg-flat")]);
    expect(describePlugin(loaded.plugins[0]!)).toBe("@someone/transseg-flat 1.2.3: inflation strategy flat");
    // the package folder itself is a spec too (what `args` passes on to child processes)
    expect((await loadPlugins(loaded.args)).plugins[0]).toEqual(loaded.plugins[0]);
  });

  it("a package folder is a spec: examples/strategy-plugin, from its sources under the source condition (as here)", async () => {
    const example = resolve(import.meta.dirname, "../../../../examples/strategy-plugin");
    const loaded = await loadPlugins([example]);
    expect(loaded.plugins[0]).toMatchObject({ name: "transseg-strategy-triangle", version: "0.1.0", file: join(example, "src/triangle.ts"), provides: { strategies: ["triangle"] } });
  });

  it("refuses a strategy that breaks the conformance kit, naming the module and the export", async () => {
    await refused(["./mutating-strategy.ts"], /^plugin \.\/mutating-strategy\.ts: export "halve": inflation strategy "halve" fails its conformance rules: input untouched: K=1: inflate modified its input kernel at 0 \(/);
  });

  it("refuses a module that exports nothing usable, listing what it does export", async () => {
    await refused(["./nothing.ts"], /^plugin \.\/nothing\.ts: exports nothing usable: no export is an inflation strategy \(inflate\), a source layout \(detect, toCanonical\), a task profile \(labels, paper, phantom\), a loss \(compute\), a decoder \(forward, params\); its exports: VERSION, helper, settings$/);
  });

  it("refuses built-in ids and ids another plugin took", async () => {
    await refused(["./builtin-clash.ts"], /^plugin \.\/builtin-clash\.ts: export "center": inflation strategy id "center" is built in; give the plugin its own id$/);
    await refused(["./triangle.ts", "./triangle-again.ts"], /^plugin \.\/triangle-again\.ts: export "triangle": inflation strategy id "triangle" is already added by plugin \.\/triangle\.ts$/);
  });

  it("refuses what cannot be found or imported", async () => {
    await refused(["./missing.js"], /^plugin \.\/missing\.js: no such file or folder/);
    await refused(["transseg-no-such-plugin"], /^plugin transseg-no-such-plugin: no such file, and no package "transseg-no-such-plugin" is installed under .* \(npm install transseg-no-such-plugin, or give a path\)$/);
    const dir = mkdtempSync(join(tmpdir(), "cli-plugin-bad-"));
    writeFileSync(join(dir, "broken.mjs"), "export const x = ;\n");
    await refused([join(dir, "broken.mjs")], /^plugin .*broken\.mjs: cannot be imported \(.*broken\.mjs\): /);
    writeFileSync(join(dir, "odd.mjs"), 'export const both = { id: "both", inflate() {}, compute() {} };\nexport const idOnly = { id: "mystery" };\n');
    await refused([join(dir, "odd.mjs")], /export "both": looks like an inflation strategy and a loss at once/);
    writeFileSync(join(dir, "mystery.mjs"), 'export const idOnly = { id: "mystery", inflat() {} };\n');
    await refused([join(dir, "mystery.mjs")], /export "idOnly": has an id \("mystery"\) but is no plugin kind: an inflation strategy has inflate; /);
  });
});

describe("plugin specs", () => {
  it("TRANSSEG_PLUGINS (comma-separated) come first, then each --plugin", () => {
    expect(pluginSpecs(["./b.js"], { TRANSSEG_PLUGINS: " a-plugin, ./c.js ,," })).toEqual(["a-plugin", "./c.js", "./b.js"]);
    expect(pluginSpecs(undefined, {})).toEqual([]);
    expect(pluginSpecs("x", {})).toEqual(["x"]);
  });

  it("paths are relative, absolute or end in a script extension; anything else is a package name", () => {
    expect(["./a", "../a", "/a", "a.js", "a.mjs", "a.ts", "file:///a.js"].every(isPathSpec)).toBe(true);
    expect(["triangle", "@scope/pkg", "transseg-strategy-triangle"].some(isPathSpec)).toBe(false);
    expect(() => resolvePluginModule("not a name!", fixtures)).toThrow(/^plugin not a name!: neither a path nor a package name$/);
  });
});
