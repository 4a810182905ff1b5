/**
 * Each published package installs alone: `pnpm pack` of weights and inflate gives tarballs that
 * `npm install` into an empty folder and work there with no TensorFlow.js in node_modules.
 * Builds, packs and installs (the registry serves the third-party dependencies).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { buildWorkspace } from "./build-workspace.js";

const root = resolve(import.meta.dirname, "../..");
const fixtures = resolve(root, "../shared/fixtures");

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_update_notifier: "false" } });
}

describe("packaging", () => {
  it("weights and inflate install alone from their tarballs, without TensorFlow.js", { timeout: 300_000 }, () => {
    buildWorkspace(root);
    const out = mkdtempSync(join(tmpdir(), "transseg-pack-"));
    for (const pkg of ["weights", "inflate"]) run("pnpm", ["pack", "--pack-destination", out], join(root, "packages", pkg));
    const tarballs = readdirSync(out).filter((f) => f.endsWith(".tgz")).sort();
    expect(tarballs).toHaveLength(2);
    const app = join(out, "app");
    execFileSync("mkdir", ["-p", app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    run("npm", ["install", "--no-audit", "--no-fund", ...tarballs.map((t) => join(out, t))], app);
    expect(existsSync(join(app, "node_modules/@transseg/weights/dist/index.js"))).toBe(true);
    expect(existsSync(join(app, "node_modules/@tensorflow"))).toBe(false);
    const modules = readdirSync(join(app, "node_modules"));
    expect(modules.filter((m) => /tensorflow|tfjs/.test(m))).toEqual([]);
    // It works there: read a checkpoint and inflate it with the published entry points.
    const input = existsSync(fixtures) ? join(fixtures, "vit2d.safetensors") : "";
    const script = input
      ? `import { readCheckpoint, canonicalize } from "@transseg/weights";
import { inflateCheckpoint } from "@transseg/inflate";
const ck = await readCheckpoint(${JSON.stringify(input)});
const { tensors } = canonicalize(ck.tensors, { source: "auto" });
const { tensors: out } = inflateCheckpoint(tensors, { strategy: "center", window: 5, img: [64, 64], inChannels: 1 });
console.log(JSON.stringify(out.get("patch_embed.proj.weight").shape));`
      : `import * as w from "@transseg/weights"; import * as i from "@transseg/inflate";
console.log(JSON.stringify([typeof w.readCheckpoint, typeof i.inflateCheckpoint]));`;
    writeFileSync(join(app, "check.mjs"), script);
    const printed = run("node", ["check.mjs"], app).trim();
    expect(printed).toBe(input ? "[64,1,5,16,16]" : '["function","function"]');
  });
});
