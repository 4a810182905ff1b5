/**
 * Packages by what users install: every workspace package is packed with `pnpm pack` and the
 * tarballs are installed with npm into empty folders, one per kind of user:
 * - `weights` + `inflate` (checkpoint tools): neither TensorFlow.js nor ONNX Runtime;
 * - `@transseg/onnx` (inference): ONNX Runtime and no TensorFlow.js; it exports a tiny synthetic
 *   checkpoint and predicts a tiny NIfTI volume there, which also makes the CLI's fixture;
 * - `@transseg/vit3d` (training on TensorFlow.js): no ONNX Runtime;
 * - the `transseg` and `transseg-bench` commands (`@transseg/cli`, `@transseg/bench` with the
 *   workspace tarballs they depend on), installed with install scripts on and
 *   `ONNXRUNTIME_NODE_INSTALL=skip` as the root README says: `transseg predict` from the tarball
 *   writes the same labels as the library did.
 * npm takes third-party packages from its cache when it can, else from the registry; the test is
 * skipped with a message only when neither can provide them. About 1–3 minutes.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { buildWorkspace } from "./build-workspace.js";
import { findPackages, npmInstall, packPackages } from "./npm-pack.js";

const root = resolve(import.meta.dirname, "../..");
const fixtures = resolve(process.env.TRANSSEG_SHARED || resolve(root, "../shared"), "fixtures"); // as @transseg/weights/testing's sharedDir

/** Every published package, by name, and where it lives. */
const PACKAGES = {
  "@transseg/weights": "packages/weights",
  "@transseg/inflate": "packages/inflate",
  "@transseg/datasets": "packages/datasets",
  "@transseg/metrics": "packages/metrics",
  "@transseg/model": "packages/model",
  "@transseg/vit3d": "packages/vit3d",
  "@transseg/onnx": "packages/onnx",
  "@transseg/cli": "apps/cli",
  "@transseg/bench": "apps/bench",
} as const;
type Name = keyof typeof PACKAGES;

/** What each kind of user installs (the package and the workspace packages it depends on). */
const INSTALLS = {
  tools: ["@transseg/weights", "@transseg/inflate"],
  onnx: ["@transseg/onnx", "@transseg/model", "@transseg/weights", "@transseg/datasets"],
  vit3d: ["@transseg/vit3d", "@transseg/model", "@transseg/weights", "@transseg/inflate", "@transseg/datasets", "@transseg/metrics"],
  cli: Object.keys(PACKAGES) as Name[],
} satisfies Record<string, Name[]>;

const TENSORFLOW = /^@tensorflow\//;
const ONNX_RUNTIME = /^(onnxruntime-node|onnxruntime-common|onnx-proto)$/;

/** A tiny model: ViT (dim 32, 2 blocks) + UPerNet on a 2x3 token grid; labels come with a clip window. */
const CONFIG = {
  encoder: { kind: "vit", dim: 32, depth: 2, heads: 2, patch: 16, window: 3, img: [32, 48] },
  decoder: { kind: "upernet", channels: 16, layer_idxs: [0, 0, 1, 1] },
  classes: 3,
  preprocess: { clip: [-100, 200] },
};

/** Run in the inference install: writes the checkpoint and volume, predicts with the library on ONNX Runtime. */
const MAKE_FIXTURE = `
import { createOnnxSession, exportOnnx, onnxRunner, predictVolume, syntheticCheckpoint } from "@transseg/onnx";
import { normalizeSegConfig } from "@transseg/model";
import { writeSafetensors } from "@transseg/weights";
import { readNifti, writeNifti } from "@transseg/datasets";
const [ckptPath, volumePath] = process.argv.slice(2);
const ckpt = syntheticCheckpoint(${JSON.stringify(CONFIG)}, 7);
writeSafetensors(ckptPath, ckpt.tensors, { metadata: ckpt.metadata });
const [X, Y, Z] = [20, 28, 4];
const data = Int16Array.from({ length: X * Y * Z }, (_, i) => Math.round(150 * Math.sin(i * 0.37) + 60 * Math.cos(i * 0.011)));
await writeNifti(volumePath, { data, shape: [X, Y, Z], spacing: [1, 1, 2] });
const session = await createOnnxSession(exportOnnx(ckpt, { relativeBias: "gather" }), { threads: 1 });
const runner = onnxRunner(session, normalizeSegConfig(JSON.parse(ckpt.metadata.transseg)));
const pred = await predictVolume(await readNifti(volumePath), runner, { clip: [-100, 200], batch: 4 });
await session.release();
console.log(JSON.stringify({ engine: runner.engine, shape: pred.shape, labels: Array.from(pred.labels) }));
`;

const READ_LABELS = `
import { readNifti } from "@transseg/datasets";
const v = await readNifti(process.argv[2]);
console.log(JSON.stringify({ shape: v.shape, labels: Array.from(v.data) }));
`;

function node(cwd: string, script: string, args: string[]): string {
  writeFileSync(join(cwd, "script.mjs"), script);
  const r = spawnSync(process.execPath, ["script.mjs", ...args], { cwd, encoding: "utf8", timeout: 300_000 });
  if (r.status !== 0) throw new Error(`node script.mjs in ${cwd} exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim();
}

describe("packages by what users install", () => {
  it("packs every package; each kind of user's install holds only its engine; the transseg command from its tarball predicts", { timeout: 1_800_000 }, async (ctx) => {
    if (spawnSync("npm", ["--version"]).status !== 0) ctx.skip("npm is not on PATH: the install test needs it");
    const started = Date.now();
    buildWorkspace(root);
    const out = mkdtempSync(join(tmpdir(), "transseg-pack-"));
    ctx.onTestFinished(() => {
      const t0 = Date.now();
      rmSync(out, { recursive: true, force: true }); // ~700 MB of node_modules
      console.log(`packaging: removed the installs in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    });
    const tarballs = packPackages(root, PACKAGES, out);

    // each packed manifest: built JavaScript only, versioned ranges instead of workspace:, publishable
    for (const [name, tgz] of Object.entries(tarballs)) {
      const manifest = JSON.parse(spawnSync("tar", ["-xOzf", tgz, "package/package.json"], { encoding: "utf8" }).stdout) as Record<string, unknown>;
      expect(manifest.name).toBe(name);
      expect(JSON.stringify(manifest), name).not.toContain("workspace:");
      expect(manifest.private, name).toBeUndefined();
      expect(manifest.publishConfig, name).toEqual({ access: "public" });
      const files = spawnSync("tar", ["-tzf", tgz], { encoding: "utf8" }).stdout.split("\n");
      expect(files.filter((f) => /\.test\.|\/src\//.test(f)), name).toEqual([]);
    }

    // the four installs run at once (they mostly wait on the disk)
    const seconds: Record<string, number> = { "build + pack": (Date.now() - started) / 1000 };
    const apps = Object.fromEntries(Object.keys(INSTALLS).map((kind) => [kind, join(out, kind)])) as Record<keyof typeof INSTALLS, string>;
    const installs = await Promise.all(
      Object.entries(INSTALLS).map(async ([kind, names]) => {
        const app = apps[kind as keyof typeof INSTALLS];
        mkdirSync(app);
        writeFileSync(join(app, "package.json"), JSON.stringify({ name: `app-${kind}`, private: true, type: "module" }));
        // the commands install as users do (scripts on, ONNX Runtime's CUDA download skipped); libraries without scripts
        const options = kind === "cli" ? { env: { ONNXRUNTIME_NODE_INSTALL: "skip" } } : { ignoreScripts: true };
        const t0 = Date.now();
        const unreachable = await npmInstall(app, names.map((n) => tarballs[n]!), options);
        seconds[`install ${kind}`] = (Date.now() - t0) / 1000;
        return unreachable;
      }),
    );
    const unreachable = installs.find((u) => u !== null);
    if (unreachable) ctx.skip(`npm could not get the third-party dependencies, offline or from the registry (${unreachable}): install test skipped`);

    const tools = findPackages(join(apps.tools, "node_modules"));
    expect(tools).toContain("@transseg/inflate");
    expect(tools.filter((p) => TENSORFLOW.test(p) || ONNX_RUNTIME.test(p))).toEqual([]);
    const onnx = findPackages(join(apps.onnx, "node_modules"));
    expect(onnx).toContain("onnxruntime-node");
    expect(onnx.filter((p) => TENSORFLOW.test(p))).toEqual([]);
    const vit3d = findPackages(join(apps.vit3d, "node_modules"));
    expect(vit3d).toContain("@tensorflow/tfjs");
    expect(vit3d.filter((p) => ONNX_RUNTIME.test(p))).toEqual([]);
    const cli = findPackages(join(apps.cli, "node_modules"));
    expect(cli).toEqual(expect.arrayContaining(["@tensorflow/tfjs", "onnxruntime-node", "@transseg/onnx", "@transseg/vit3d"]));

    // weights + inflate work alone (the shared BEiT/ViT fixture when present, else their entry points)
    const input = existsSync(fixtures) ? join(fixtures, "vit2d.safetensors") : "";
    const toolsScript = input
      ? `import { readCheckpoint, canonicalize } from "@transseg/weights";
import { inflateCheckpoint } from "@transseg/inflate";
const ck = await readCheckpoint(${JSON.stringify(input)});
const { tensors } = canonicalize(ck.tensors, { source: "auto" });
const { tensors: out } = inflateCheckpoint(tensors, { strategy: "center", window: 5, img: [64, 64], inChannels: 1 });
console.log(JSON.stringify(out.get("patch_embed.proj.weight").shape));`
      : `import * as w from "@transseg/weights"; import * as i from "@transseg/inflate";
console.log(JSON.stringify([typeof w.readCheckpoint, typeof i.inflateCheckpoint]));`;
    expect(node(apps.tools, toolsScript, [])).toBe(input ? "[64,1,5,16,16]" : '["function","function"]');

    // the inference package alone: export, ONNX Runtime, whole-volume prediction
    const ckpt = join(out, "tiny.safetensors");
    const volume = join(out, "tiny.nii.gz");
    const library = JSON.parse(node(apps.onnx, MAKE_FIXTURE, [ckpt, volume])) as { engine: string; shape: number[]; labels: number[] };
    expect(library.engine).toBe("onnxruntime (cpu, 1 thread)");
    expect(library.shape).toEqual([20, 28, 4]);
    expect(new Set(library.labels).size, "a random model that predicts one class everywhere checks little").toBeGreaterThan(1);

    // the transseg command from its tarball
    // (a preloaded probe lists, at exit, the CommonJS modules the process loaded: TensorFlow.js is not among them)
    const labels = join(out, "labels.nii.gz");
    const probe = join(out, "probe.cjs");
    writeFileSync(probe, `process.on("exit", () => { const m = Object.keys(require.cache); process.stderr.write("probe: " + m.filter((k) => k.includes("/@tensorflow/")).length + " tensorflow, " + m.filter((k) => k.includes("/onnxruntime-node/")).length + " onnxruntime\\n"); });\n`);
    const predict = spawnSync(join(apps.cli, "node_modules", ".bin", "transseg"), ["predict", "--checkpoint", ckpt, "--input", volume, "--output", labels, "--threads", "1", "--batch", "4"], { cwd: apps.cli, encoding: "utf8", timeout: 600_000, env: { ...process.env, NODE_OPTIONS: `--require ${probe}` } });
    expect(predict.status, predict.stderr).toBe(0);
    expect(predict.stderr).toContain("engine: onnxruntime (cpu, 1 thread)");
    expect(predict.stderr).toMatch(/^probe: 0 tensorflow, [1-9]\d* onnxruntime$/m);
    const written = JSON.parse(node(apps.onnx, READ_LABELS, [labels])) as { shape: number[]; labels: number[] };
    expect(written.shape).toEqual([20, 28, 4]);
    expect(written.labels).toEqual(library.labels);
    const bench = spawnSync(join(apps.cli, "node_modules", ".bin", "transseg-bench"), ["--help"], { cwd: apps.cli, encoding: "utf8", timeout: 120_000 });
    expect(bench.status, bench.stderr).toBe(0);
    expect(bench.stdout).toMatch(/^Usage: transseg-bench/m);
    seconds.total = (Date.now() - started) / 1000;
    console.log(`packaging: ${Object.keys(tarballs).length} tarballs, ${Object.keys(apps).length} installs; seconds: ${Object.entries(seconds).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ")}`);
  });
});
