import { createHash } from "node:crypto";
import { readFileSync, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { pluginKinds, type PluginKind, type PluginKindId, type PluginTypes } from "./kinds.js";
import { PluginError } from "./plugin-error.js";
import { resolvePluginModule, type PluginModule } from "./resolve-module.js";

/** What a study or a log records of a loaded plugin: who it is, and what it added. */
export interface PluginRecord {
  /** package.json's name, or the file's name. */
  readonly name: string;
  /** package.json's version (null for a plain file). */
  readonly version: string | null;
  /** SHA-256 of the imported file. */
  readonly sha256: string;
  /** Absolute path of the imported file (where it was found: not part of a study's identity). */
  readonly file: string;
  /** The ids it added, per registry (empty lists left out). */
  readonly provides: Readonly<Partial<Record<PluginKindId, readonly string[]>>>;
}

/** The entries plugins add, per registry, by id: merge with the built-ins (`{ ...builtinStrategies, ...added.strategies }`). */
export type PluginAdditions = { readonly [K in PluginKindId]: Readonly<Record<string, PluginTypes[K]>> };

export interface LoadedPlugins {
  readonly plugins: readonly PluginRecord[];
  readonly added: PluginAdditions;
  /** `--plugin` values that load the same modules again from anywhere (package folders or files, absolute). */
  readonly args: readonly string[];
}

export interface LoadPluginsOptions {
  /** Where relative paths and package names are resolved (default `process.cwd()`). */
  readonly cwd?: string;
}

const KINDS = Object.values(pluginKinds) as PluginKind[];
/** "an inflation strategy", "a loss". */
const a = (what: string) => `${/^[aeiou]/i.test(what) ? "an" : "a"} ${what}`;

export const NO_PLUGINS: LoadedPlugins = Object.freeze({ plugins: [], added: { strategies: {}, adapters: {}, profiles: {}, losses: {}, decoders: {} }, args: [] });

async function importModule(m: PluginModule): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(m.file).href)) as Record<string, unknown>;
  } catch (e) {
    throw new PluginError(m.spec, `cannot be imported (${m.file}): ${String((e as Error)?.message ?? e).split("\n")[0]}`);
  }
}

/** The plugin exports of a module namespace, each with its kind (a `default` that repeats a named export counts once). */
function classify(m: PluginModule, ns: Record<string, unknown>): { name: string; kind: PluginKind; value: unknown }[] {
  const out: { name: string; kind: PluginKind; value: unknown }[] = [];
  const seen = new Set<unknown>();
  for (const [name, value] of Object.entries(ns)) {
    if (typeof value !== "object" || value === null || Array.isArray(value) || seen.has(value)) continue;
    seen.add(value);
    const v = value as Record<string, unknown>;
    const kinds = KINDS.filter((k) => k.matches(v));
    if (kinds.length > 1) throw new PluginError(m.spec, `looks like ${kinds.map((k) => a(k.what)).join(" and ")} at once; export each plugin as its own object`, name);
    if (kinds.length === 1) out.push({ name, kind: kinds[0]!, value });
    else if (typeof v.id === "string") {
      throw new PluginError(m.spec, `has an id ("${v.id}") but is no plugin kind: ${KINDS.map((k) => `${a(k.what)} has ${k.marks}`).join("; ")}`, name);
    }
  }
  if (out.length === 0) {
    const names = Object.keys(ns);
    throw new PluginError(m.spec, `exports nothing usable: no export is ${KINDS.map((k) => `${a(k.what)} (${k.marks})`).join(", ")}; its exports: ${names.length ? names.join(", ") : "none"}`);
  }
  return out;
}

const sha256File = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

/**
 * Loads plugin modules (paths or package names, in order): imports each, sorts its exports into
 * the registries (inflation strategies, source layouts, task profiles, losses, decoders), and
 * checks every one by its kind's conformance rules. Refused with a one-line `PluginError` naming
 * the module and the export: a module that cannot be found or imported, that exports nothing
 * usable, an export that breaks its kind's rules, or an id that is built in or that another
 * plugin took. The same module given twice is loaded once.
 */
export async function loadPlugins(specs: readonly string[], options: LoadPluginsOptions = {}): Promise<LoadedPlugins> {
  if (specs.length === 0) return NO_PLUGINS;
  const cwd = options.cwd ?? process.cwd();
  const added = { strategies: {}, adapters: {}, profiles: {}, losses: {}, decoders: {} } as { [K in PluginKindId]: Record<string, PluginTypes[K]> };
  const owner = new Map<string, string>(); // "<kind>:<id>" -> the module that added it
  const reserved = new Map<PluginKindId, readonly string[]>();
  const plugins: PluginRecord[] = [];
  const args: string[] = [];
  const files = new Set<string>();
  for (const spec of specs) {
    const m = resolvePluginModule(spec, cwd);
    const real = realpathSync(m.file);
    if (files.has(real)) continue;
    files.add(real);
    const provides: Partial<Record<PluginKindId, string[]>> = {};
    for (const { name, kind, value } of classify(m, await importModule(m))) {
      const id = kind.idOf(value as never);
      if (typeof id !== "string" || id === "") throw new PluginError(m.spec, `${a(kind.what)} needs a string id, got ${JSON.stringify(id)}`, name);
      if (!reserved.has(kind.id)) reserved.set(kind.id, await kind.reserved());
      if (reserved.get(kind.id)!.includes(id)) throw new PluginError(m.spec, `${kind.what} id "${id}" is built in; give the plugin its own id`, name);
      const other = owner.get(`${kind.id}:${id}`);
      if (other !== undefined) throw new PluginError(m.spec, `${kind.what} id "${id}" is already added by plugin ${other}`, name);
      try {
        await kind.check(value as never);
      } catch (e) {
        throw new PluginError(m.spec, `${kind.what} "${id}" fails its conformance rules: ${String((e as Error)?.message ?? e).split("\n")[0]}`, name);
      }
      owner.set(`${kind.id}:${id}`, m.spec);
      (added[kind.id] as Record<string, unknown>)[id] = value;
      (provides[kind.id] ??= []).push(id);
    }
    plugins.push({ name: m.name, version: m.version, sha256: sha256File(m.file), file: m.file, provides });
    args.push(m.packageDir ?? m.file);
  }
  for (const k of Object.keys(added) as PluginKindId[]) Object.freeze(added[k]);
  return { plugins, added, args };
}

/** "transseg-strategy-triangle 0.1.0: inflation strategy triangle" */
export function describePlugin(p: PluginRecord): string {
  const what = (Object.entries(p.provides) as [PluginKindId, readonly string[]][]).map(([k, ids]) => `${pluginKinds[k].what} ${ids.join(", ")}`);
  return `${p.name}${p.version ? ` ${p.version}` : ` (sha256 ${p.sha256.slice(0, 12)}…)`}: ${what.join("; ")}`;
}
