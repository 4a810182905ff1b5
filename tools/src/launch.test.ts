/**
 * tools/launch.mjs: the root scripts' launcher builds an app only when a source of its project
 * graph is newer than that project's build info, then runs the built bin.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- plain ES module, no declarations
import { appBin, ensureBuilt, globToRegExp, newestSource, projectClosure, readTsconfig, sourceOf, staleProjects } from "../launch.mjs";

const LAUNCH = resolve(import.meta.dirname, "../launch.mjs");

/** A two-project workspace in a temporary folder: app (bin) → lib. */
function workspace() {
  const root = mkdtempSync(join(tmpdir(), "launch-"));
  const project = (name: string, files: Record<string, string>, references: string[]) => {
    const dir = join(root, name);
    mkdirSync(join(dir, "src"), { recursive: true });
    writeFileSync(
      join(dir, "tsconfig.json"),
      `{
  // comments and trailing commas, as tsc allows
  "compilerOptions": { "rootDir": "src", "outDir": "dist", "tsBuildInfoFile": "dist/.tsbuildinfo", "composite": true, "module": "NodeNext", "moduleResolution": "NodeNext", "target": "ES2022", "strict": true, "types": [], },
  "include": ["src"],
  "exclude": ["src/**/*.test.ts"],
  "references": [${references.map((r) => `{ "path": "../${r}" }`).join(", ")}],
}`,
    );
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name, type: "module", bin: { [name]: "./dist/bin.js" } }));
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, "src", f), text);
    return dir;
  };
  const lib = project("lib", { "index.ts": "export const greeting = (who: string): string => `hello ${who}`;\n", "index.test.ts": "// a test file\n" }, []);
  const app = project("app", { "bin.ts": 'declare const process: { argv: string[]; stdout: { write(s: string): void } };\nimport { greeting } from "../../lib/dist/index.js";\nprocess.stdout.write(`${greeting(process.argv[2] ?? "")}\\n`);\n' }, ["lib"]);
  return { root, lib, app };
}

const setTime = (file: string, ms: number) => utimesSync(file, ms / 1000, ms / 1000);

describe("launch", () => {
  it("reads tsconfig files with comments and trailing commas, and tsconfig globs", () => {
    const { app } = workspace();
    expect(readTsconfig(join(app, "tsconfig.json")).references).toEqual([{ path: "../lib" }]);
    const re = globToRegExp("src/**/*.test.ts");
    expect(["src/a.test.ts", "src/x/y/b.test.ts"].map((p) => re.test(p))).toEqual([true, true]);
    expect(["src/a.ts", "src/a.test.tsx", "lib/a.test.ts", "src/a-test.ts"].map((p) => re.test(p))).toEqual([false, false, false, false]);
    expect(globToRegExp("src/*.ts").test("src/x/a.ts")).toBe(false);
  });

  it("follows references, and a project is stale when a compiled source (not a test) is newer than its build info", () => {
    const { lib, app } = workspace();
    const projects = projectClosure(app);
    expect(projects.map((p: { dir: string }) => p.dir)).toEqual([app, lib]);
    // never built: both stale
    expect(staleProjects(projects).map((p: { dir: string }) => p.dir)).toEqual([app, lib]);
    for (const dir of [app, lib]) {
      mkdirSync(join(dir, "dist"), { recursive: true });
      writeFileSync(join(dir, "dist/.tsbuildinfo"), "{}");
    }
    const t = Date.now() - 60_000;
    for (const f of [join(lib, "src/index.ts"), join(lib, "src/index.test.ts"), join(lib, "tsconfig.json"), join(app, "src/bin.ts"), join(app, "tsconfig.json")]) setTime(f, t - 10_000);
    for (const dir of [app, lib]) setTime(join(dir, "dist/.tsbuildinfo"), t);
    expect(staleProjects(projects)).toEqual([]);
    setTime(join(lib, "src/index.test.ts"), t + 5_000); // excluded by the tsconfig
    expect(staleProjects(projects)).toEqual([]);
    setTime(join(lib, "src/index.ts"), t + 5_000);
    expect(Math.round(newestSource(projects[1]))).toBe(t + 5_000);
    expect(staleProjects(projects).map((p: { dir: string }) => p.dir)).toEqual([lib]);
    setTime(join(lib, "src/index.ts"), t - 10_000);
    setTime(join(app, "tsconfig.json"), t + 1_000); // the tsconfig counts too
    expect(staleProjects(projects).map((p: { dir: string }) => p.dir)).toEqual([app]);
  });

  it("finds the bin and its source", () => {
    const { app } = workspace();
    expect(appBin(app)).toBe(join(app, "dist/bin.js"));
    expect(sourceOf(app, join(app, "dist/bin.js"))).toBe(join(app, "src/bin.ts"));
  });

  it("builds when stale, then not again; a touched but unchanged source builds once", { timeout: 120_000 }, () => {
    const { lib, app } = workspace();
    const logs: string[] = [];
    expect(ensureBuilt(app, (m: string) => logs.push(m))).toBe("built");
    expect(logs.join("")).toMatch(/sources changed since the last build \(.*\); building .* with tsc -b/);
    expect(readFileSync(join(lib, "dist/index.js"), "utf8")).toContain("hello");
    expect(ensureBuilt(app, () => {})).toBe("fresh");
    const later = Date.now() + 2_000;
    setTime(join(lib, "src/index.ts"), later); // same content: tsc has nothing to write
    expect(ensureBuilt(app, () => {})).toBe("built");
    expect(ensureBuilt(app, () => {})).toBe("fresh");
    // A real change is built, and the launcher runs the built bin with the arguments.
    writeFileSync(join(lib, "src/index.ts"), "export const greeting = (who: string): string => `hi ${who}`;\n");
    setTime(join(lib, "src/index.ts"), later + 2_000);
    const r = spawnSync(process.execPath, [LAUNCH, app, "there"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("hi there\n");
    expect(r.stderr).toMatch(/building/);
    const again = spawnSync(process.execPath, [LAUNCH, app, "again"], { encoding: "utf8" });
    expect([again.status, again.stdout, again.stderr]).toEqual([0, "hi again\n", ""]);
  });

  it("runs the sources through tsx when the build fails", { timeout: 120_000 }, () => {
    const { app } = workspace();
    writeFileSync(join(app, "src/extra.ts"), "export const n: number = 'not a number';\n");
    const r = spawnSync(process.execPath, [LAUNCH, app, "anyway"], { encoding: "utf8" });
    expect(r.stderr).toMatch(/extra\.ts.*TS2322/);
    expect(r.stderr).toMatch(/failed \(errors above\); running the sources with tsx instead/);
    expect([r.status, r.stdout]).toEqual([0, "hello anyway\n"]);
  });
});
