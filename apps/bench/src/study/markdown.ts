import { describePlugin } from "@transseg/cli";
import { builtinProfiles, type ProfileRegistry } from "@transseg/datasets";
import type { StudyResults } from "./results.js";
import { paperAblationNote, paperAblationTable } from "./paper-ablation.js";
import { sourceNotes } from "./source-notes.js";
import { ablationTable, comparisonStatement, comparisonTable, diceTable, hdTimeTable, pct, type TextTable } from "./tables.js";

/** A Markdown table (first column left-aligned, the others right-aligned; the footer in bold). */
export function markdownTable(t: TextTable): string[] {
  const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [
    row(t.head),
    row(t.head.map((_, i) => (i < (t.text ?? 1) ? "---" : "---:"))),
    ...t.rows.map(row),
    ...(t.footer ? [row(t.footer.map((c, i) => (i === 0 ? `**${c}**` : c)))] : []),
  ];
}

/**
 * results.md: the design hash; the pre-training sources; the paper's Table 5 shape (datasets as
 * rows; Ours / w/o D per source and w/o T&D as columns; mean ± sd of the mean foreground Dice %
 * over seeds; the paper's numbers beside ours for real data; column means); the comparisons with
 * their bootstrap intervals and verdicts; HD95 and time; the ablation; Dice per class per job.
 */
export function resultsMarkdown(results: StudyResults, profiles: ProfileRegistry = builtinProfiles): string {
  const s = results.settings;
  const anyReal = results.jobs.some((j) => j.data === "real");
  const lines: string[] = [];
  lines.push(`# TransSeg study — ${s.budget} budget — design ${results.design.sha256}`, "");
  lines.push(
    `Design: budget, task profiles, synthetic generator \`${results.design.generator}\`, variants, sources and plugins hashed (sha256 above; per part in results.json). ` +
      `Data: ${anyReal ? "real where found under --root, synthetic phantoms otherwise" : "synthetic phantoms (numbers are not comparable with the paper's)"}; data seed ${s.dataSeed}, split seed ${s.splitSeed}, both fixed across training seeds.`,
    "",
  );

  lines.push("## Pre-training sources", "");
  const notes = sourceNotes(s, profiles);
  if (notes.length === 0) lines.push("None: no variant of this study starts from a checkpoint.");
  for (const n of notes) lines.push(`- **${n.name}**: \`${n.file}\` (sha256 ${n.sha256.slice(0, 12)}…). ${n.text}`.trimEnd());
  lines.push("");
  if (s.plugins.length) lines.push("## Plugins", "", ...s.plugins.map((p) => `- ${describePlugin(p)}${p.version ? ` (sha256 ${p.sha256.slice(0, 12)}…)` : ""}`), "");

  lines.push("## Mean Dice (%) — the paper's Table 5", "");
  lines.push(`Mean foreground Dice (%) on the test split, mean ± sample sd over n = ${s.seeds.length} training seed(s) (${s.seeds.join(", ")}); sd is left out for one seed, and "(n=k)" marks cells with fewer seeds.`, "");
  lines.push(...markdownTable(diceTable(results, profiles)), "");

  lines.push("## Comparisons (paired over datasets)", "");
  lines.push(...markdownTable(comparisonTable(results)), "");
  lines.push(comparisonStatement(results), "");

  lines.push("## HD95 (mm, mean over classes with a finite value) and training time (means over seeds)", "");
  lines.push(...markdownTable(hdTimeTable(results)), "");

  const ablation = ablationTable(results);
  if (ablation) {
    lines.push("## Initialisation ablation (Ours with each inflation strategy, mean Dice %)", "");
    lines.push(...markdownTable(ablation), "");
    const beside = paperAblationTable(results, profiles);
    if (beside) lines.push("Beside the paper's initialisation ablation:", "", ...markdownTable(beside), "");
    const note = paperAblationNote(results, profiles);
    if (note) lines.push(note, "");
  }

  lines.push("## Dice per class (%)", "");
  const order = (j: StudyResults["jobs"][number]) => [s.datasets.indexOf(j.dataset), results.summary.columns.findIndex((c) => c.id === j.column), j.seed];
  const byCell = [...results.jobs].sort((a, b) => order(a).map((x, i) => x - order(b)[i]!).find((x) => x !== 0) ?? 0);
  for (const j of byCell) {
    lines.push(`- **${j.key}** (${j.label}, seed ${j.seed}, ${j.steps} steps, test cases ${j.testCases.join(", ")}): ${Object.entries(j.dice).map(([c, v]) => `${j.classes[c] ?? c} ${pct(v)}`).join(", ")}`);
  }
  if (results.missing.length) lines.push("", `Missing (other shards or not run yet): ${results.missing.join(", ")}`);
  lines.push("");
  return lines.join("\n");
}
