import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { sharedDir } from "@transseg/weights/testing";

/** `fixtures/` of the shared folder (`$TRANSSEG_SHARED`, else `<repo root>/../shared`); tests skip with a message when it is absent. */
export const SHARED_FIXTURES = sharedDir("fixtures");
export const HAVE_SHARED_FIXTURES = existsSync(SHARED_FIXTURES);
export const fixture = (name: string): string => resolve(SHARED_FIXTURES, name);

/** max |a - b| / max |expected|. */
export function relativeMaxError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / (scale || 1);
}
