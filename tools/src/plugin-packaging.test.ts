/**
 * A new inflation strategy, benchmarked without forking the repository: the example plugin
 * (`examples/strategy-plugin`) and the CLIs, packed with `pnpm pack` and installed from their
 * tarballs with npm into an empty folder, run `transseg inflate --plugin … --strategy triangle` and
 * the quick initialisation ablation `transseg-bench run --plugin … --datasets BTCV --strategies
 * center,average,triangle`; plugins that break the kit or export nothing are refused in one line.
 * npm installs offline when its cache holds the third-party dependencies (TensorFlow.js, ONNX
 * Runtime, …), else from the registry; without either the test is skipped with a message.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { buildWorkspace } from "./build-workspace.js";

const root = resolve(import.meta.dirname, "../..");
/** The packages the two CLIs need, and the plugin. */
const PACKAGES = ["packages/weights", "packages/inflate", "packages/datasets", "packages/metrics", "packages/model", "packages/vit3d", "packages/onnx", "apps/cli", "apps/bench", "examples/strategy-plugin"];
const PLUGIN = "transseg-strategy-triangle";
const env = { ...process.env, npm_config_update_notifier: "false", TRANSSEG_PLUGINS: "" };

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env });
}

/** Runs an installed bin; returns its exit code and output (never throws on a non-zero exit). */
function bin(app: string, name: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(join(app, "node_modules", ".bin", name), args, { cwd: app, encoding: "utf8", env, timeout: 600_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const NETWORK = /ENOTCACHED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|ENETUNREACH|network|fetch failed/i;

/** `npm install` of the tarballs: offline from npm's cache when it can, else from the registry; null when neither can reach the dependencies. */
function npmInstall(app: string, tarballs: string[]): string | null {
  const base = ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", ...tarballs];
  let last = "";
  for (const mode of ["--offline", "--prefer-offline"]) {
    const r = spawnSync("npm", [...base, mode], { cwd: app, encoding: "utf8", env, timeout: 900_000 });
    if (r.status === 0) return null;
    last = `${r.stderr}${r.error?.message ?? ""}`;
    if (!NETWORK.test(last)) throw new Error(`npm install ${mode} failed: ${last.trim().split("\n").slice(-5).join(" | ")}`);
  }
  return last.trim().split("\n").find((l) => NETWORK.test(l)) ?? "the registry cannot be reached";
}

describe("an inflation-strategy plugin installed from its tarball beside the packed CLIs", () => {
  it("runs transseg inflate --strategy triangle and the quick BTCV ablation; refuses broken plugins in one line", { timeout: 1_800_000 }, (ctx) => {
    if (spawnSync("npm", ["--version"]).status !== 0) ctx.skip("npm is not on PATH: the install test needs it");
    buildWorkspace(root);
    const out = mkdtempSync(join(tmpdir(), "transseg-plugin-pack-"));
    ctx.onTestFinished(() => rmSync(out, { recursive: true, force: true })); // ~400 MB of node_modules
    for (const pkg of PACKAGES) run("pnpm", ["pack", "--pack-destination", out], join(root, pkg));
    const tarballs = readdirSync(out).filter((f) => f.endsWith(".tgz")).sort();
    expect(tarballs).toHaveLength(PACKAGES.length);
    const app = join(out, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    const unreachable = npmInstall(app, tarballs.map((t) => join(out, t)));
    if (unreachable) ctx.skip(`npm could not get the third-party dependencies, offline or from the registry (${unreachable}): install test skipped`);

    // the plugin as packed: built JavaScript, a peer dependency on @transseg/inflate, no workspace: ranges
    const pkg = JSON.parse(readFileSync(join(app, "node_modules", PLUGIN, "package.json"), "utf8")) as Record<string, Record<string, string>>;
    expect(pkg.peerDependencies).toEqual({ "@transseg/inflate": "^0.1.0" });
    expect(JSON.stringify(pkg)).not.toContain("workspace:");
    expect(readdirSync(join(app, "node_modules", PLUGIN, "dist")).filter((f) => f.endsWith(".js"))).toEqual(["triangle.js"]);

    // transseg inflate with the plugin's strategy, on the bench's bundled 2D encoder (BEiT, patch 8)
    const encoder = join(root, "apps/bench/assets/beit-tiny-2d-medical.safetensors");
    const inflated = join(app, "triangle3d.safetensors");
    const inflate = bin(app, "transseg", ["inflate", encoder, "-o", inflated, "--img", "64x64", "--patch", "8", "--plugin", PLUGIN, "--strategy", "triangle", "--json"]);
    expect(inflate.code, inflate.stderr).toBe(0);
    expect(inflate.stderr).toMatch(new RegExp(`^plugin ${PLUGIN} 0\\.1\\.0: inflation strategy triangle\\n`));
    const report = JSON.parse(inflate.stdout) as { options: { strategy: string }; changed: { name: string; to: number[] }[] };
    expect(report.options.strategy).toBe("triangle");
    expect(report.changed.find((c) => c.name === "patch_embed.proj.weight")?.to).toEqual([64, 1, 5, 8, 8]);
    expect(existsSync(inflated)).toBe(true);

    // refused in one line, exit 2: a strategy that modifies its input, a module that exports nothing usable
    writeFileSync(
      join(app, "mutating.mjs"),
      `import { average } from "@transseg/inflate";
export const halve = { ...average, id: "halve", description: "average that halves the caller's kernel", inflate(k, s, K) { k[0] = k[0] / 2; return average.inflate(k, s, K); } };
`,
    );
    writeFileSync(join(app, "nothing.mjs"), "export const VERSION = 1;\nexport function helper() {}\n");
    for (const [file, message] of [
      ["./mutating.mjs", /^transseg: plugin \.\/mutating\.mjs: export "halve": inflation strategy "halve" fails its conformance rules: input untouched: K=1: inflate modified its input kernel at 0 /],
      ["./nothing.mjs", /^transseg: plugin \.\/nothing\.mjs: exports nothing usable: .*; its exports: VERSION, helper$/],
    ] as const) {
      const r = bin(app, "transseg", ["inflate", encoder, "-o", join(app, "refused.safetensors"), "--plugin", file]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(existsSync(join(app, "refused.safetensors"))).toBe(false);

    // the quick ablation: Ours with center, average and the plugin's triangle on BTCV, 2 steps each
    const study = join(app, "ablation");
    const ablation = bin(app, "transseg-bench", ["run", "-o", study, "--plugin", PLUGIN, "--datasets", "BTCV", "--strategies", "center,average,triangle", "--variants", "ours", "--steps", "2", "--jobs", "1", "--threads", "1"]);
    expect(ablation.code, ablation.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(study, "results.json"), "utf8")) as {
      settings: { plugins: { name: string; version: string; sha256: string }[] };
      jobs: { key: string; strategy: string; steps: number }[];
    };
    expect(results.settings.plugins).toEqual([expect.objectContaining({ name: PLUGIN, version: "0.1.0", sha256: expect.stringMatching(/^[0-9a-f]{64}$/), provides: { strategies: ["triangle"] } })]);
    expect(results.jobs.map((j) => [j.key, j.strategy, j.steps])).toEqual([
      ["BTCV/ours@medical/s0", "center", 2],
      ["BTCV/ours-average@medical/s0", "average", 2],
      ["BTCV/ours-triangle@medical/s0", "triangle", 2],
    ]);
    const md = readFileSync(join(study, "results.md"), "utf8");
    expect(md).toContain("| BTCV | random | average | centering (center) | triangle |");
    expect(md).toContain("| paper | 72.49 | 76.33 | 84.30 | – |");
    expect(md).toContain(`- ${PLUGIN} 0.1.0: inflation strategy triangle`);
    expect(readFileSync(join(study, "report.html"), "utf8")).toContain("<td>paper</td><td>72.49</td><td>76.33</td><td>84.30</td>");
  });
});
