import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * The URL to start a worker thread on the module `name` (without extension) beside `base` (a
 * module's `import.meta.url`): `name.js` in a build; from TypeScript sources (vitest, tsx)
 * `name.ts`, started through a small `data:` module that first registers tsx's loader (Node ignores
 * `--import` in a worker's `execArgv`), as `@transseg/datasets`' loader pool does.
 */
export function workerUrl(name: string, base: string): URL {
  if (!base.endsWith(".ts")) return new URL(`./${name}.js`, base);
  const pkgJson = createRequire(base).resolve("tsx/package.json");
  const pkg = JSON.parse(readFileSync(pkgJson, "utf8")) as { exports: Record<string, { import: { default: string } }> };
  const api = pathToFileURL(join(dirname(pkgJson), pkg.exports["./esm/api"]!.import.default)).href;
  const entry = new URL(`./${name}.ts`, base).href;
  const boot = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}
