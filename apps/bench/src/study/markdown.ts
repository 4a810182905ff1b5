import { builtinProfiles, type ProfileRegistry } from "@transseg/datasets";
import type { JobResult, StudyResults } from "./results.js";

const pct = (v: number | null | undefined) => (v === null || v === undefined ? "–" : (100 * v).toFixed(2));
const num = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? "–" : v.toFixed(d));

/** The paper's Dice (%) of a dataset for a variant column, when it reports one. */
export function paperDice(dataset: string, variant: string, profiles: ProfileRegistry = builtinProfiles): number | undefined {
  const p = profiles[dataset]?.paper;
  if (!p) return undefined;
  if (variant === "ours") return p.dice;
  if (variant === "2d") return p.diceWithoutDepth;
  if (variant === "random") return p.diceWithoutTransferAndDepth;
  return undefined;
}

function find(results: StudyResults, dataset: string, key: string): JobResult | undefined {
  return results.jobs.find((j) => j.dataset === dataset && j.key === `${dataset}/${key}`);
}

/**
 * results.md: the paper's Table 5 shape (datasets as rows; Ours / w/o D / w/o T&D as columns,
 * mean foreground Dice %), the paper's numbers beside ours for real data, then HD95, the
 * initialisation ablation when run, and the per-class Dice of every job.
 */
export function resultsMarkdown(results: StudyResults, profiles: ProfileRegistry = builtinProfiles): string {
  const s = results.settings;
  const variants = s.variants;
  const labelOf = (v: string) => results.jobs.find((j) => j.variant === v && j.strategy === (v === "ours" ? "center" : null))?.label ?? v;
  const anyReal = results.jobs.some((j) => j.data === "real");
  const lines: string[] = [];
  lines.push(`# TransSeg study — ${s.budget} budget`, "");
  lines.push(
    `Mean foreground Dice (%) on the test split (split seed ${s.splitSeed}, training seed ${s.seed}); data: ${anyReal ? "real where found under --root, synthetic phantoms otherwise" : "synthetic phantoms (numbers are not comparable with the paper's)"}. ` +
      `Pre-trained 2D checkpoint: ${s.pretrained ? `\`${s.pretrained.file}\` (sha256 ${s.pretrained.sha256.slice(0, 12)}…)` : "none"}.`,
    "",
  );
  const paperColumn = (v: string) => anyReal && s.datasets.some((d) => paperDice(d, v, profiles) !== undefined);
  const head = ["dataset", "data", ...variants.flatMap((v) => (paperColumn(v) ? [labelOf(v), `paper ${labelOf(v)}`] : [labelOf(v)]))];
  lines.push(`| ${head.join(" | ")} |`, `| ${head.map((_, i) => (i < 2 ? "---" : "---:")).join(" | ")} |`);
  for (const d of s.datasets) {
    const cells = [d, results.jobs.find((j) => j.dataset === d)?.data ?? "–"];
    for (const v of variants) {
      const j = find(results, d, v);
      cells.push(pct(j?.meanDice));
      if (paperColumn(v)) {
        const p = j?.data === "real" ? paperDice(d, v, profiles) : undefined;
        cells.push(p === undefined ? "–" : p.toFixed(2));
      }
    }
    lines.push(`| ${cells.join(" | ")} |`);
  }
  const means = variants.map((v) => {
    const xs = s.datasets.map((d) => find(results, d, v)?.meanDice).filter((x): x is number => typeof x === "number");
    return xs.length === s.datasets.length && xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
  });
  const meanCells = ["**mean**", ""];
  variants.forEach((v, i) => meanCells.push(pct(means[i]), ...(paperColumn(v) ? ["–"] : [])));
  lines.push(`| ${meanCells.join(" | ")} |`);
  lines.push("");

  lines.push("## HD95 (mm, mean over classes with a finite value) and training time", "");
  lines.push(`| dataset | ${variants.map((v) => `${labelOf(v)} HD95`).join(" | ")} | ${variants.map((v) => `${labelOf(v)} s`).join(" | ")} | steps |`);
  lines.push(`| --- | ${variants.map(() => "---:").join(" | ")} | ${variants.map(() => "---:").join(" | ")} | ---: |`);
  for (const d of s.datasets) {
    const js = variants.map((v) => find(results, d, v));
    lines.push(`| ${d} | ${js.map((j) => num(j?.meanHd95)).join(" | ")} | ${js.map((j) => num(j?.trainSeconds, 0)).join(" | ")} | ${js.find((j) => j)?.steps ?? "–"} |`);
  }
  lines.push("");

  const strategyJobs = results.jobs.filter((j) => j.strategy !== null);
  if (s.strategies.length > 0 && strategyJobs.length > 0) {
    const strategies = [...new Set(["center", ...s.strategies])].filter((st) => s.strategies.includes(st) || s.variants.includes("ours"));
    lines.push("## Initialisation ablation (Ours with each inflation strategy, mean Dice %)", "");
    lines.push(`| dataset | ${strategies.join(" | ")} |`, `| --- | ${strategies.map(() => "---:").join(" | ")} |`);
    for (const d of s.datasets) {
      lines.push(`| ${d} | ${strategies.map((st) => pct(results.jobs.find((j) => j.dataset === d && j.strategy === st)?.meanDice)).join(" | ")} |`);
    }
    lines.push("", "Paper (BTCV, 8-organ mean): random 72.49, average 76.33, centering 84.30.", "");
  }

  lines.push("## Dice per class (%)", "");
  for (const j of results.jobs) {
    lines.push(`- **${j.key}** (${j.label}, ${j.steps} steps, test cases ${j.testCases.join(", ")}): ${Object.entries(j.dice).map(([c, v]) => `${j.classes[c] ?? c} ${pct(v)}`).join(", ")}`);
  }
  if (results.missing.length) lines.push("", `Missing (other shards or not run yet): ${results.missing.join(", ")}`);
  lines.push("");
  return lines.join("\n");
}
