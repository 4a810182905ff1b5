import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PluginError } from "./plugin-error.js";

/** Where a plugin's code is and what it is called. */
export interface PluginModule {
  /** As given (`--plugin` or TRANSSEG_PLUGINS). */
  readonly spec: string;
  /** Absolute path of the file imported. */
  readonly file: string;
  /** The package's folder (holding package.json), or null for a plain file. */
  readonly packageDir: string | null;
  /** package.json's `name`, else the file's name. */
  readonly name: string;
  /** package.json's `version`, or null for a plain file. */
  readonly version: string | null;
}

interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly main?: string;
  readonly exports?: unknown;
}

/** A spec that names a file or folder rather than a package: relative, absolute, or ending in a script extension. */
export function isPathSpec(spec: string): boolean {
  return spec.startsWith(".") || isAbsolute(spec) || spec.startsWith("file:") || /\.[cm]?[jt]s$/.test(spec);
}

/** True when this process resolves with the `source` condition (`--conditions=source`: tsx or vitest on the sources). */
function sourceCondition(): boolean {
  const argv = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
  return argv.some((a, i) => /^(--conditions|-C)=?source$/.test(a) || ((a === "--conditions" || a === "-C") && argv[i + 1] === "source"));
}

/** The target of an exports entry as Node picks it: the first key, in the entry's order, among the active conditions. */
function exportTarget(entry: unknown, active: ReadonlySet<string>): string | undefined {
  if (typeof entry === "string") return entry;
  if (Array.isArray(entry)) return entry.map((e) => exportTarget(e, active)).find((t) => t !== undefined);
  if (entry === null || typeof entry !== "object") return undefined;
  for (const [condition, target] of Object.entries(entry as Record<string, unknown>)) {
    if (!active.has(condition)) continue;
    const t = exportTarget(target, active);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** The file a package's `import "<name>"` loads: `exports["."]` (or a string), else `main`, else index.js. */
function packageEntry(dir: string, pkg: PackageJson, spec: string): string {
  const exp = pkg.exports;
  const root = typeof exp === "object" && exp !== null && !Array.isArray(exp) && Object.keys(exp).some((k) => k.startsWith(".")) ? (exp as Record<string, unknown>)["."] : exp;
  const active = new Set(["import", "node", "default", ...(sourceCondition() ? ["source"] : [])]);
  const target = exp !== undefined ? exportTarget(root, active) : (pkg.main ?? "index.js");
  if (target === undefined) throw new PluginError(spec, `${join(dir, "package.json")}: "exports" has no "." entry for import`);
  const file = resolve(dir, target);
  if (!existsSync(file)) throw new PluginError(spec, `${join(dir, "package.json")} names ${target}, which does not exist${/\.ts$/.test(target) ? "" : " (is the package built?)"}`);
  return file;
}

function readPackage(dir: string, spec: string): PackageJson {
  try {
    return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
  } catch (e) {
    throw new PluginError(spec, `${join(dir, "package.json")}: not valid JSON (${(e as Error).message})`);
  }
}

function fromPackageDir(dir: string, spec: string): PluginModule {
  const pkg = readPackage(dir, spec);
  return { spec, file: packageEntry(dir, pkg, spec), packageDir: dir, name: typeof pkg.name === "string" ? pkg.name : dir, version: typeof pkg.version === "string" ? pkg.version : null };
}

/** `<dir>/node_modules/<name>` for `dir` and each folder above it, as Node's resolution walks. */
function findInstalled(name: string, from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Resolves a plugin spec: a path (file, or a package folder with package.json) relative to `cwd`,
 * or a package name installed under `cwd` (or beside this program). Throws a `PluginError` naming
 * the spec when nothing is found.
 */
export function resolvePluginModule(spec: string, cwd: string): PluginModule {
  if (isPathSpec(spec) || existsSync(resolve(cwd, spec))) {
    const path = spec.startsWith("file:") ? fileURLToPath(spec) : resolve(cwd, spec);
    if (!existsSync(path)) throw new PluginError(spec, `no such file or folder (${path})`);
    if (statSync(path).isDirectory()) {
      if (!existsSync(join(path, "package.json"))) throw new PluginError(spec, `a folder without package.json (give the module file, or a package folder)`);
      return fromPackageDir(path, spec);
    }
    return { spec, file: path, packageDir: null, name: path.split(/[\\/]/).pop()!, version: null };
  }
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(spec)) throw new PluginError(spec, `neither a path nor a package name`);
  const dir = findInstalled(spec, cwd) ?? findInstalled(spec, dirname(fileURLToPath(import.meta.url)));
  if (dir === undefined) throw new PluginError(spec, `no such file, and no package "${spec}" is installed under ${cwd} (npm install ${spec}, or give a path)`);
  return fromPackageDir(dir, spec);
}
