import { builtinProfiles, type ProfileRegistry } from "@transseg/datasets";
import type { StudyColumn } from "./jobs.js";
import type { StudyResults } from "./results.js";
import { plainLabels } from "./sources.js";
import { cellText, dataKind, type TextTable } from "./tables.js";

/** The paper's initialisation ablation, as its columns name the strategies: random (no transfer), average, centering (= `center`). */
export const PAPER_INITIALIZATION = [
  ["random", null],
  ["average", "average"],
  ["centering", "center"],
] as const;

/** The study's dataset whose profile holds the paper's initialisation ablation (BTCV), if any. */
export function ablationDataset(results: StudyResults, profiles: ProfileRegistry = builtinProfiles): string | undefined {
  return results.settings.datasets.find((d) => profiles[d]?.paper.initialization !== undefined);
}

/**
 * The ablation beside the paper's numbers on the dataset the paper ran it on (BTCV: its profile's
 * `paper.initialization`): the paper's row (random, average, centering) and one row per source of
 * Ours with each strategy (center under centering, average under average, the other strategies,
 * e.g. a plugin's, in their own columns). The paper's random (a 3D model trained from scratch) is
 * no column of the study: "–". Null without an ablation or without that dataset.
 */
export function paperAblationTable(results: StudyResults, profiles: ProfileRegistry = builtinProfiles): TextTable | null {
  const s = results.settings;
  const d = ablationDataset(results, profiles);
  if (d === undefined || !results.summary.columns.some((c) => c.strategy !== null)) return null;
  const init = profiles[d]!.paper.initialization!;
  const ours = results.summary.columns.filter((c) => c.variant === "ours");
  const strategyOf = (c: StudyColumn) => c.strategy ?? "center";
  const named = new Set<string>(PAPER_INITIALIZATION.flatMap(([, st]) => (st === null ? [] : [st])));
  const extra = [...new Set(ours.map(strategyOf))].filter((st) => !named.has(st));
  const head = [d, ...PAPER_INITIALIZATION.map(([name, st]) => (st === null || st === name ? name : `${name} (${st})`)), ...extra];
  const paper = ["paper", ...PAPER_INITIALIZATION.map(([name]) => init[name].toFixed(2)), ...extra.map(() => "–")];
  const sources = s.sources.map((x) => x.name).filter((src) => ours.some((c) => c.source === src));
  const plain = plainLabels(s.sources.map((x) => x.name));
  const rows = sources.map((src) => {
    const cell = (st: string | null) => {
      const c = st === null ? undefined : ours.find((x) => x.source === src && strategyOf(x) === st);
      return c ? cellText(results.summary.cells[d]?.[c.id], s.seeds.length) : "–";
    };
    return [plain ? "Ours" : `Ours (${src})`, ...PAPER_INITIALIZATION.map(([, st]) => cell(st)), ...extra.map(cell)];
  });
  return { head, rows: [paper, ...rows] };
}

/** What the ablation's paper numbers are, in one paragraph (from the profile of the dataset the paper used). */
export function paperAblationNote(results: StudyResults, profiles: ProfileRegistry = builtinProfiles): string {
  const d = ablationDataset(results, profiles);
  const name = d ?? "BTCV";
  const p = profiles[name]?.paper;
  const init = p?.initialization;
  if (!init) return "";
  const numbers = `random ${init.random.toFixed(2)}, average ${init.average.toFixed(2)}, centering ${init.centering.toFixed(2)}`;
  const mean = p.reportedLabels ? `mean Dice (%) over its ${p.reportedLabels.length} reported organs` : "mean foreground Dice (%)";
  if (d === undefined) return `The paper ran this ablation on ${name} (${mean}: ${numbers}); add ${name} to --datasets to see it beside ours.`;
  const kind = dataKind(results, d);
  return (
    `Paper (${name}, ${mean}): ${numbers}. Its centering is our \`center\` (Ours), its average our \`average\`; its random is the 3D model trained from scratch, ` +
    `which this study does not run (w/o T&D is a 2D model).${kind === "real" ? "" : ` Our ${name} numbers are on synthetic phantoms: compare the order of the strategies, not the values.`}`
  );
}
