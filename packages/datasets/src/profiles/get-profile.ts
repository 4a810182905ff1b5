import { unknownIdMessage } from "../suggest.js";
import { builtinProfiles, type ProfileRegistry } from "./registry.js";
import type { TaskProfile } from "./types.js";

/**
 * The profile registered under `id` (exact match). Unknown ids throw an error naming the
 * nearest id ("did you mean …") and listing all of them.
 */
export function getProfile(id: string, registry: ProfileRegistry = builtinProfiles): TaskProfile {
  const profile = Object.hasOwn(registry, id) ? registry[id] : undefined;
  if (profile === undefined) throw new Error(unknownIdMessage("task profile", id, Object.keys(registry)));
  return profile;
}
