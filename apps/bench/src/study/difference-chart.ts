import { escapeHtml } from "./charts.js";
import type { Verdict } from "./stats.js";

/** One comparison as the chart draws it (values in the chart's unit, e.g. Dice points). */
export interface DifferenceRow {
  readonly label: string;
  readonly mean: number | null;
  readonly interval: readonly [number, number] | null;
  readonly verdict: Verdict;
  readonly positive: number;
  readonly n: number;
}

/** The smallest 1, 2 or 5 × 10^k at or above x (x > 0): a round axis end. */
export function niceCeil(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  return ([1, 2, 5, 10].find((m) => m * p >= x) ?? 10) * p;
}

export const VERDICT_COLOURS: Readonly<Record<Verdict, string>> = { holds: "#1a7f37", reversed: "#cf222e", inconclusive: "#6e7781" };

/**
 * A forest plot of paired differences: one row per comparison, its mean as a dot, its interval
 * as a horizontal whisker (class "ci"), a zero line (class "zero"), and the verdict as text.
 */
export function differenceChart(rows: readonly DifferenceRow[], options: { readonly unit: string; readonly title: string }): string {
  const labelWidth = 300;
  const plot = 380;
  const right = 190;
  const top = 34;
  const rowH = 26;
  const width = labelWidth + plot + right;
  const height = top + rows.length * rowH + 30;
  const extent = niceCeil(Math.max(1, ...rows.flatMap((r) => [r.mean ?? 0, ...(r.interval ?? [])].map(Math.abs))) * 1.05);
  const x = (v: number) => labelWidth + ((v + extent) / (2 * extent)) * plot;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chart differences" role="img" aria-label="${escapeHtml(options.title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  parts.push(`<text x="8" y="16" class="title">${escapeHtml(options.title)}</text>`);
  const bottom = top + rows.length * rowH;
  for (const t of [-1, -0.5, 0.5, 1]) {
    const v = t * extent;
    parts.push(`<line x1="${x(v)}" x2="${x(v)}" y1="${top - 6}" y2="${bottom}" class="grid"/><text x="${x(v)}" y="${bottom + 14}" class="tick" text-anchor="middle">${Number(v.toFixed(1))}</text>`);
  }
  parts.push(`<line x1="${x(0)}" x2="${x(0)}" y1="${top - 6}" y2="${bottom}" class="zero" stroke="#000"/><text x="${x(0)}" y="${bottom + 14}" class="tick" text-anchor="middle">0 ${escapeHtml(options.unit)}</text>`);
  rows.forEach((r, i) => {
    const cy = top + i * rowH + rowH / 2;
    const colour = VERDICT_COLOURS[r.verdict];
    parts.push(`<text x="${labelWidth - 8}" y="${cy + 4}" text-anchor="end">${escapeHtml(r.label)}</text>`);
    if (r.interval) {
      const [a, b] = [x(r.interval[0]), x(r.interval[1])];
      parts.push(`<g class="ci" stroke="${colour}" stroke-width="2"><title>${escapeHtml(`${r.label}: ${r.interval[0].toFixed(2)} to ${r.interval[1].toFixed(2)} ${options.unit}`)}</title><line x1="${a}" x2="${b}" y1="${cy}" y2="${cy}"/><line x1="${a}" x2="${a}" y1="${cy - 5}" y2="${cy + 5}"/><line x1="${b}" x2="${b}" y1="${cy - 5}" y2="${cy + 5}"/></g>`);
    }
    if (r.mean !== null) parts.push(`<circle class="diff-mean" cx="${x(r.mean)}" cy="${cy}" r="4" fill="${colour}"><title>${escapeHtml(`${r.label}: mean ${r.mean.toFixed(2)} ${options.unit}`)}</title></circle>`);
    parts.push(`<text x="${labelWidth + plot + 8}" y="${cy + 4}" class="verdict" style="fill:${colour}">${r.verdict} · ${r.positive}/${r.n} positive</text>`);
  });
  parts.push(`</svg>`);
  return parts.join("");
}
