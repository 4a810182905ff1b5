import { basename } from "node:path";
import { builtinProfiles, type ProfileRegistry } from "@transseg/datasets";
import type { StudySettings } from "./jobs.js";
import { parseRecipe } from "./sources.js";

/** What results.md and report.html say about one pre-training source. */
export interface SourceNote {
  readonly name: string;
  readonly file: string;
  readonly sha256: string;
  /** Plain sentences (no markup). */
  readonly text: string;
}

const foreground = (labels: readonly string[]) => labels.slice(1).map((l) => l.toLowerCase());

/** The study's datasets that share a label name with the pre-training profiles, with the names shared. */
export function sharedStructures(pretrainProfiles: readonly string[], datasets: readonly string[], profiles: ProfileRegistry = builtinProfiles): { dataset: string; shared: string[] }[] {
  const seen = new Set(pretrainProfiles.flatMap((p) => foreground(profiles[p]?.labels ?? [])));
  return datasets.flatMap((d) => {
    const shared = [...new Set(foreground(profiles[d]?.labels ?? []).filter((l) => seen.has(l)))];
    return shared.length && !pretrainProfiles.includes(d) ? [{ dataset: d, shared }] : [];
  });
}

/**
 * Per source: what its recipe (`__metadata__.transseg_pretrain`) says it was pre-trained on,
 * whether that data resembles the evaluation tasks (shared organs: closer to in-domain transfer
 * than ImageNet's), and which source is the formula-driven natural-like one.
 */
export function sourceNotes(settings: StudySettings, profiles: ProfileRegistry = builtinProfiles): SourceNote[] {
  return settings.sources.map((s) => {
    const recipe = parseRecipe(s.recipe);
    const sentences: string[] = [];
    if (recipe === null) {
      sentences.push("Its metadata has no transseg_pretrain recipe (an external checkpoint, e.g. ImageNet pre-training): what it was trained on is not recorded.");
    } else {
      if (recipe.kind === "natural-like") sentences.push("The formula-driven natural-like source (recipe kind \"natural-like\"): images made by formulas, not medical phantoms, standing in for natural-image (ImageNet-style) pre-training.");
      else if (recipe.kind === "medical-like") sentences.push("A medical-like source (recipe kind \"medical-like\").");
      if (recipe.profiles.length) sentences.push(`Pre-trained on synthetic phantoms of ${recipe.profiles.join(", ")}.`);
      const shared = sharedStructures(recipe.profiles, settings.datasets, profiles);
      if (shared.length) {
        const list = shared.map((x) => `${x.shared.join(" and ")} with ${x.dataset}`).join(", ");
        sentences.push(`Its data resemble the evaluation tasks (its phantoms share ${list}), so its transfer is closer to in-domain than ImageNet's.`);
      }
    }
    return { name: s.name, file: basename(s.file), sha256: s.sha256, text: sentences.join(" ") };
  });
}
