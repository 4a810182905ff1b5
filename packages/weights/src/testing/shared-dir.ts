/**
 * Where the shared reference material lives (`fixtures/` written by the PyTorch reference, `ref/`
 * scripts): `$TRANSSEG_SHARED` when set, else `../shared` beside the repository's root. Tests and
 * benchmarks that need it skip with a message when it is absent.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The environment variable that points to the shared folder from anywhere. */
export const SHARED_ENV = "TRANSSEG_SHARED";

/** This package's folder is `<root>/packages/weights`, from `src/testing` and `dist/testing` alike. */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

/** `parts` inside the shared folder (`sharedDir("fixtures", "seg_beit.safetensors")`). */
export function sharedDir(...parts: string[]): string {
  const fromEnv = process.env[SHARED_ENV];
  return resolve(fromEnv !== undefined && fromEnv !== "" ? resolve(fromEnv) : resolve(REPO_ROOT, "../shared"), ...parts);
}
