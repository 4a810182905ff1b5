/** Server-side SVG for the report: grouped bar charts with error bars (no script needed to see them). */

export const VARIANT_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#d62728", "#bcbd22", "#17becf"] as const;

export const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export interface BarGroup {
  readonly name: string;
  /** One value per series (null = no result), and an optional reference mark (e.g. the paper's number). */
  readonly values: readonly (number | null)[];
  readonly marks?: readonly (number | null)[];
  /** Half-length of each bar's error bar (e.g. the sd over seeds; null = none). */
  readonly errors?: readonly (number | null)[];
}

/** An error bar: a vertical line from v − e to v + e with caps (class "err"). */
function errorBar(x: number, v: number, e: number, y: (v: number) => number, what: string): string {
  const [lo, hi] = [y(v - e), y(v + e)].map((p) => Number(p.toFixed(1)));
  return `<g class="err"><title>${escapeHtml(what)}</title><line x1="${x}" x2="${x}" y1="${lo}" y2="${hi}"/><line x1="${x - 3}" x2="${x + 3}" y1="${lo}" y2="${lo}"/><line x1="${x - 3}" x2="${x + 3}" y1="${hi}" y2="${hi}"/></g>`;
}

/** A grouped bar chart: one group per dataset, one bar per series, values in [0, max], optional error bars. */
export function groupedBarChart(groups: readonly BarGroup[], series: readonly string[], options: { readonly max: number; readonly unit: string; readonly title: string }): string {
  const bar = 14;
  const gap = 18;
  const groupWidth = series.length * bar + gap;
  const left = 44;
  const top = 28;
  const h = 220;
  const width = Math.max(380, left + groups.length * groupWidth + 20, left + Math.ceil(options.title.length * 7.5));
  const height = top + h + 110;
  const y = (v: number) => top + h - (Math.min(Math.max(v, 0), options.max) / options.max) * h;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="${escapeHtml(options.title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  parts.push(`<text x="${left}" y="16" class="title">${escapeHtml(options.title)}</text>`);
  for (let t = 0; t <= 4; t++) {
    const v = (options.max * t) / 4;
    parts.push(`<line x1="${left}" x2="${width - 10}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${left - 6}" y="${y(v) + 4}" class="tick" text-anchor="end">${Number(v.toFixed(1))}</text>`);
  }
  groups.forEach((g, gi) => {
    const x0 = left + gi * groupWidth + gap / 2;
    g.values.forEach((v, si) => {
      const x = x0 + si * bar;
      const colour = VARIANT_COLOURS[si % VARIANT_COLOURS.length];
      if (v === null) {
        parts.push(`<text x="${x + bar / 2}" y="${top + h - 4}" class="tick" text-anchor="middle">–</text>`);
      } else {
        parts.push(`<rect x="${x}" y="${y(v)}" width="${bar - 2}" height="${top + h - y(v)}" fill="${colour}"><title>${escapeHtml(`${g.name} · ${series[si]}: ${v.toFixed(2)} ${options.unit}`)}</title></rect>`);
      }
      const e = g.errors?.[si];
      if (v !== null && e !== null && e !== undefined) parts.push(errorBar(x + (bar - 2) / 2, v, e, y, `${g.name} · ${series[si]}: ± ${e.toFixed(2)} ${options.unit}`));
      const m = g.marks?.[si];
      if (m !== null && m !== undefined) parts.push(`<line x1="${x - 1}" x2="${x + bar - 1}" y1="${y(m)}" y2="${y(m)}" class="mark"><title>${escapeHtml(`paper: ${m.toFixed(2)}`)}</title></line>`);
    });
    const cx = x0 + (series.length * bar) / 2;
    parts.push(`<text transform="translate(${cx},${top + h + 10}) rotate(40)" class="tick">${escapeHtml(g.name.replace(/^Task\d+_/, ""))}</text>`);
  });
  parts.push(`</svg>`);
  return parts.join("");
}
