/**
 * The shared reference folder at run time: `$TRANSSEG_SHARED`, else `../shared` beside the
 * repository — the rule of `@transseg/weights/testing`'s `sharedDir`, which the bench does not
 * import at run time (that entry loads vitest).
 */
import { resolve } from "node:path";

/** `parts` inside the shared folder. */
export function sharedDir(...parts: string[]): string {
  const fromEnv = process.env.TRANSSEG_SHARED;
  return resolve(fromEnv ? resolve(fromEnv) : resolve(import.meta.dirname, "../../../../shared"), ...parts);
}
