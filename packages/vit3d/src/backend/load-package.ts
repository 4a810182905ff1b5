import { BackendUnavailableError, firstLine } from "./errors.js";
import type { BackendId, ModuleLoader } from "./types.js";

const NOT_FOUND = new Set(["ERR_MODULE_NOT_FOUND", "MODULE_NOT_FOUND"]);

/** True when `error` says that `specifier` itself (not something it imports) cannot be found. */
export function isPackageMissing(error: unknown, specifier: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string" || !NOT_FOUND.has(code)) return false;
  const quoted = new RegExp(`['"]${specifier.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}['"]`);
  return quoted.test(error.message);
}

/**
 * Imports an optional package through `loader`; a missing package becomes a
 * `BackendUnavailableError` whose reason says what to install, a broken one says why it failed.
 */
export async function loadOptionalPackage(loader: ModuleLoader, backend: BackendId, specifier: string, installHint: string): Promise<unknown> {
  try {
    return await loader(specifier);
  } catch (error) {
    if (isPackageMissing(error, specifier)) {
      throw new BackendUnavailableError(backend, `${specifier} is not installed (${installHint})`);
    }
    throw new BackendUnavailableError(backend, `${specifier} is installed but failed to load: ${firstLine(error)}`);
  }
}
