import type { TaskProfile } from "./types.js";

/**
 * Problems with a profile (empty when it is consistent): channel and class counts match their
 * name lists, `img` is two positive integers, `clip` is null or an increasing pair, paper
 * numbers are percentages, and every phantom structure has a valid label and parent.
 */
export function validateProfile(p: TaskProfile): string[] {
  const problems: string[] = [];
  const where = `profile "${p.id}"`;
  if (!/^[A-Za-z0-9_-]+$/.test(p.id)) problems.push(`${where}: id must be letters, digits, "_" or "-"`);
  if (p.modality !== "CT" && p.modality !== "MRI") problems.push(`${where}: modality must be "CT" or "MRI"`);
  if (!Number.isInteger(p.channels) || p.channels < 1) problems.push(`${where}: channels must be a positive integer`);
  if (p.channelNames.length !== p.channels) problems.push(`${where}: ${p.channelNames.length} channel names for ${p.channels} channels`);
  if (!Number.isInteger(p.classes) || p.classes < 2) problems.push(`${where}: classes must be an integer >= 2 (background included)`);
  if (p.labels.length !== p.classes) problems.push(`${where}: ${p.labels.length} label names for ${p.classes} classes`);
  if (p.labels[0]?.toLowerCase() !== "background") problems.push(`${where}: label 0 must be "background"`);
  if (p.img.length !== 2 || !p.img.every((v) => Number.isInteger(v) && v > 0)) problems.push(`${where}: img must be [H, W] positive integers`);
  if (p.clip !== null && !(p.clip.length === 2 && p.clip[0] < p.clip[1])) problems.push(`${where}: clip must be null or [low, high] with low < high`);
  const pct = (v: number | undefined) => v === undefined || (v >= 0 && v <= 100);
  if (!(p.paper.steps > 0)) problems.push(`${where}: paper.steps must be positive`);
  if (!pct(p.paper.dice) || !pct(p.paper.diceWithoutDepth) || !pct(p.paper.diceWithoutTransferAndDepth)) {
    problems.push(`${where}: paper Dice values must be percentages in [0, 100]`);
  }
  for (const l of p.paper.reportedLabels ?? []) {
    if (!(Number.isInteger(l) && l >= 1 && l < p.classes)) problems.push(`${where}: paper.reportedLabels has ${l}, not a foreground class`);
  }
  p.phantom.forEach((s, i) => {
    if (!(Number.isInteger(s.label) && s.label >= 0 && s.label < p.classes)) problems.push(`${where}: phantom[${i}].label ${s.label} is not a class`);
    const needsParent = s.kind === "lesion" || s.kind === "shell";
    if (needsParent && s.parent === undefined) problems.push(`${where}: phantom[${i}] (${s.kind}) needs a parent`);
    if (s.parent !== undefined && !(Number.isInteger(s.parent) && s.parent >= 0 && s.parent < p.phantom.length && s.parent !== i)) {
      problems.push(`${where}: phantom[${i}].parent ${s.parent} is not another structure's index`);
    }
    if (s.size !== undefined && !(s.size > 0)) problems.push(`${where}: phantom[${i}].size must be positive`);
    if (s.count !== undefined && !(Number.isInteger(s.count) && s.count >= 1 && s.count <= 64)) problems.push(`${where}: phantom[${i}].count must be an integer in [1, 64]`);
    if (s.depthScale !== undefined && !(s.depthScale > 0 && s.depthScale <= 4)) problems.push(`${where}: phantom[${i}].depthScale must be in (0, 4]`);
    if (s.wander !== undefined && !(s.wander >= 0 && s.wander <= 4)) problems.push(`${where}: phantom[${i}].wander must be in [0, 4]`);
    if (s.at !== undefined && !(s.at.length === 2 && s.at.every((v) => v >= -1 && v <= 1))) problems.push(`${where}: phantom[${i}].at must be [x, y] with values in [-1, 1]`);
  });
  p.phantom.forEach((_, i) => {
    const seen = new Set<number>();
    for (let j: number | undefined = i; j !== undefined; j = p.phantom[j]?.parent) {
      if (seen.has(j)) {
        problems.push(`${where}: phantom[${i}] has a parent cycle`);
        break;
      }
      seen.add(j);
    }
  });
  const drawn = new Set(p.phantom.map((s) => s.label));
  for (let c = 1; c < p.classes; c++) if (!drawn.has(c)) problems.push(`${where}: class ${c} (${p.labels[c]}) has no phantom structure`);
  return problems;
}
