#!/usr/bin/env node
/**
 * Runs a workspace app's built bin in this process, building it first only when its sources
 * changed: `node tools/launch.mjs <app folder> [args…]` (the root scripts `pnpm transseg`,
 * `pnpm transseg-bench`, `pnpm bench`, `pnpm demo`).
 *
 * The app is stale when a source of its TypeScript project, or of a project it references
 * (transitively), is newer than that project's build info (`tsBuildInfoFile`, written by
 * `tsc -b`). Sources are what the tsconfig compiles: the `include` folders minus the `exclude`
 * globs, plus the tsconfig itself. The check stats about 450 files (a few milliseconds); with
 * nothing changed the bin starts at once, without tsx. When stale, `tsc -b <app>` runs first
 * (its output on stderr, so that stdout stays the command's), under the same build lock as the
 * tests' workspace builds (node_modules/.transseg-build.lock). When that build fails (a type
 * error somewhere in the workspace), the errors are shown and the app's sources run through tsx
 * instead, as the scripts did before: slower to start, but a work in progress still runs. (tsc -b
 * writes its outputs and build info even when it reports type errors, so the next start runs
 * what it emitted, without building again until a source changes.)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LOCK_STALE_MS = 15 * 60_000;
const LOCK_WAIT_MS = 15 * 60_000;

/** A tsconfig.json as an object (comments and trailing commas allowed, as tsc allows them). */
export function readTsconfig(file) {
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text);
  } catch {
    const stripped = text.replace(/("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, str) => str ?? "").replace(/,(\s*[}\]])/g, "$1");
    try {
      return JSON.parse(stripped);
    } catch (e) {
      throw new Error(`${file}: not valid JSON (${e.message})`);
    }
  }
}

/** A tsconfig glob (`src/**\/*.test.ts`) as a regular expression over paths relative to the project. */
export function globToRegExp(glob) {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      re += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** The project folder, its build info file, and its references (absolute folders). */
export function readProject(dir) {
  const config = readTsconfig(join(dir, "tsconfig.json"));
  const options = config.compilerOptions ?? {};
  const buildInfo = options.tsBuildInfoFile ? resolve(dir, options.tsBuildInfoFile) : resolve(dir, options.outDir ?? ".", "tsconfig.tsbuildinfo");
  return {
    dir,
    buildInfo,
    include: config.include ?? ["."],
    exclude: (config.exclude ?? []).map(globToRegExp),
    references: (config.references ?? []).map((r) => resolve(dir, r.path)),
  };
}

/** The project and every project it references, transitively, each once. */
export function projectClosure(dir) {
  const seen = new Map();
  const visit = (d) => {
    if (seen.has(d)) return;
    const p = readProject(d);
    seen.set(d, p);
    p.references.forEach(visit);
  };
  visit(resolve(dir));
  return [...seen.values()];
}

/** Newest modification time (ms) among the project's compiled sources and its tsconfig. */
export function newestSource(project) {
  let newest = statSync(join(project.dir, "tsconfig.json")).mtimeMs;
  const walk = (abs) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const path = join(abs, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(path);
        continue;
      }
      if (!/\.(c|m)?tsx?$/.test(entry.name)) continue;
      const rel = relative(project.dir, path).split("\\").join("/");
      if (project.exclude.some((re) => re.test(rel))) continue;
      const t = statSync(path).mtimeMs;
      if (t > newest) newest = t;
    }
  };
  for (const inc of project.include) {
    const abs = resolve(project.dir, inc.replace(/\/\*\*(\/\*)?$/, ""));
    const st = statSync(abs, { throwIfNoEntry: false });
    if (st?.isDirectory()) walk(abs);
    else if (st && st.mtimeMs > newest) newest = st.mtimeMs;
  }
  return newest;
}

/** The projects whose sources are newer than their build info (or that were never built), each with its newest source time. */
export function staleProjects(projects) {
  return projects.flatMap((p) => {
    const built = statSync(p.buildInfo, { throwIfNoEntry: false })?.mtimeMs;
    const newest = newestSource(p);
    return built === undefined || newest > built ? [{ ...p, newest }] : [];
  });
}

function withBuildLock(fn) {
  const lock = join(ROOT, "node_modules", ".transseg-build.lock");
  const deadline = Date.now() + LOCK_WAIT_MS;
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${lock}: another build held the lock for ${LOCK_WAIT_MS / 1000} s`);
      else {
        if (!told) process.stderr.write(`waiting for another build to finish (${lock}) …\n`);
        told = true;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      }
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Builds the app (`tsc -b`) when a project is stale: "fresh" (nothing to do), "built" or
 * "failed". After a successful build every project's build info is at least as new as its
 * sources (tsc leaves it alone when a touched file did not change the program), so that the next
 * start does not build again.
 */
export function ensureBuilt(appDir, log = (m) => process.stderr.write(m)) {
  const projects = projectClosure(appDir);
  const stale = staleProjects(projects);
  if (stale.length === 0) return "fresh";
  const app = relative(ROOT, resolve(appDir));
  const tsc = createRequire(join(ROOT, "package.json")).resolve("typescript/bin/tsc");
  const names = stale.map((p) => relative(ROOT, p.dir) || ".").join(", ");
  log(`sources changed since the last build (${names}); building ${app} with tsc -b …\n`);
  return withBuildLock(() => {
    try {
      execFileSync(process.execPath, [tsc, "-b", resolve(appDir)], { cwd: ROOT, stdio: ["ignore", 2, 2] });
    } catch {
      return "failed";
    }
    for (const p of staleProjects(projects)) {
      const t = new Date(Math.max(Date.now(), Math.ceil(p.newest) + 1)); // a source dated in the future too (mtimeMs has sub-ms digits)
      utimesSync(p.buildInfo, t, t);
    }
    return "built";
  });
}

/** The app's bin file (package.json `bin`, the first one). */
export function appBin(appDir) {
  const pkg = JSON.parse(readFileSync(join(appDir, "package.json"), "utf8"));
  const bin = typeof pkg.bin === "string" ? pkg.bin : Object.values(pkg.bin ?? {})[0];
  if (!bin) throw new Error(`${join(appDir, "package.json")}: no "bin"`);
  return resolve(appDir, bin);
}

/** The TypeScript source a built file comes from (`outDir` → `rootDir`, `.js` → `.ts`). */
export function sourceOf(appDir, builtFile) {
  const options = readTsconfig(join(appDir, "tsconfig.json")).compilerOptions ?? {};
  const rel = relative(resolve(appDir, options.outDir ?? "."), builtFile);
  return resolve(appDir, options.rootDir ?? ".", rel).replace(/\.(c|m)?js$/, (_, k) => `.${k ?? ""}ts`);
}

/** Runs the app's sources with tsx (`--conditions=source`, as vitest does); resolves to the exit code. */
function runSources(appDir, bin, args) {
  const tsx = import.meta.resolve("tsx");
  const r = spawnSync(process.execPath, ["--import", tsx, "--conditions=source", sourceOf(appDir, bin), ...args], { stdio: "inherit" });
  return r.status ?? 1;
}

async function launch(argv) {
  const [app, ...args] = argv;
  if (!app) {
    process.stderr.write("Usage: node tools/launch.mjs <app folder> [args…]\n");
    return 2;
  }
  const appDir = resolve(ROOT, app);
  const bin = appBin(appDir);
  if (ensureBuilt(appDir) === "failed") {
    process.stderr.write(`tsc -b ${relative(ROOT, appDir)} failed (errors above); running the sources with tsx instead\n`);
    return runSources(appDir, bin, args);
  }
  process.argv = [process.argv[0], bin, ...args];
  await import(pathToFileURL(bin).href);
  return undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const code = await launch(process.argv.slice(2));
  if (code !== undefined) process.exitCode = code;
}
