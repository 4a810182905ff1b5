import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/** macOS metadata that archives made on a Mac carry: `._name` companions and `.DS_Store`. */
export function isMacMetadata(name: string): boolean {
  return name.startsWith("._") || name === ".DS_Store";
}

/** The names in `dir`, sorted, without macOS metadata; undefined when `dir` is not a folder. */
export async function listFolder(dir: string): Promise<string[] | undefined> {
  const names = await readdir(dir).catch(() => undefined);
  return names?.filter((n) => !isMacMetadata(n)).sort();
}

/** True when `path` is a folder (following links). */
export async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** The first of `candidates` (paths under `dir`, "" = `dir` itself) for which `test` holds. */
export async function firstMatching(dir: string, candidates: readonly string[], test: (path: string) => Promise<boolean>): Promise<string | undefined> {
  for (const c of candidates) {
    const path = join(dir, c);
    if (await test(path)) return path;
  }
  return undefined;
}

/** `name.nii.gz` or `name.nii` in `dir` (names listed by `listFolder`), or undefined. */
export function niftiNamed(names: readonly string[], base: string): string | undefined {
  return names.find((n) => n === `${base}.nii.gz`) ?? names.find((n) => n === `${base}.nii`);
}
