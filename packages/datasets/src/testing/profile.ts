import { validateProfile } from "../profiles/validate.js";
import type { TaskProfile } from "../profiles/types.js";

/**
 * Conformance check for a task profile (call it from your profile's test): throws one error
 * listing every problem `validateProfile` finds.
 */
export function checkProfileConformance(profile: TaskProfile): void {
  const problems = validateProfile(profile);
  if (problems.length > 0) throw new Error(`task profile "${profile.id}" is not conformant:\n- ${problems.join("\n- ")}`);
}
