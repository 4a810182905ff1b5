import { describePlugin } from "@transseg/cli";
import { builtinProfiles, type ProfileRegistry } from "@transseg/datasets";
import { escapeHtml, groupedBarChart, VARIANT_COLOURS } from "./charts.js";
import { differenceChart } from "./difference-chart.js";
import { CLASS_COLOURS } from "./overlay.js";
import type { JobExtras, StudyResults } from "./results.js";
import { paperAblationNote, paperAblationTable } from "./paper-ablation.js";
import { sourceNotes } from "./source-notes.js";
import { sampleSd } from "./stats.js";
import { meanCurve, seedMean, seedValues } from "./summary.js";
import { ablationTable, comparisonStatement, comparisonTable, dataKind, diceTable, paperDice, type TextTable } from "./tables.js";

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}
.chart text{font-size:11px;fill:#333}.chart .title{font-size:13px;font-weight:600}.grid{stroke:#e4e4e4}.mark{stroke:#000;stroke-width:2}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
.curves{display:flex;flex-wrap:wrap;gap:12px}.curves figure{margin:0}.curves figcaption{font-size:12px;text-align:center}
.overlays td{text-align:center;vertical-align:top}.overlays img{width:128px;height:128px;image-rendering:pixelated;display:block}
.muted{color:#777;font-size:12px}#status{font-size:12px;color:#777}
.err line{stroke:#222;stroke-width:1.2}.zero{stroke:#000;stroke-width:1.5}`;

/** Draws the loss curves from the embedded JSON into SVG, then marks the page as rendered. */
const SCRIPT = `
(function(){
  var root=document.documentElement;
  try{
    var data=JSON.parse(document.getElementById("study-data").textContent);
    var NS="http://www.w3.org/2000/svg";
    function el(name,attrs,parent){var e=document.createElementNS(NS,name);for(var k in attrs)e.setAttribute(k,attrs[k]);if(parent)parent.appendChild(e);return e;}
    var box=document.getElementById("curves");var drawn=0;
    data.datasets.forEach(function(d){
      var runs=d.runs.filter(function(r){return r.curve.length>0;});
      if(!runs.length)return;
      var W=300,H=170,L=40,T=10,B=24;
      var xs=[],ys=[];runs.forEach(function(r){r.curve.forEach(function(p){xs.push(p[0]);ys.push(p[1]);});});
      var x0=Math.min.apply(null,xs),x1=Math.max.apply(null,xs),y0=Math.min.apply(null,ys),y1=Math.max.apply(null,ys);
      if(x1===x0)x1=x0+1;if(y1===y0)y1=y0+1;
      var fig=document.createElement("figure");var svg=el("svg",{width:W,height:H,viewBox:"0 0 "+W+" "+H,"class":"chart"},fig);
      function px(x){return L+(x-x0)/(x1-x0)*(W-L-8);}function py(y){return T+(1-(y-y0)/(y1-y0))*(H-T-B);}
      [y0,(y0+y1)/2,y1].forEach(function(v){el("line",{x1:L,x2:W-8,y1:py(v),y2:py(v),"class":"grid"},svg);var t=el("text",{x:L-4,y:py(v)+4,"text-anchor":"end"},svg);t.textContent=v.toPrecision(3);});
      var t=el("text",{x:W-8,y:H-6,"text-anchor":"end"},svg);t.textContent="step "+x1;
      runs.forEach(function(r){var line=el("polyline",{points:r.curve.map(function(p){return px(p[0]).toFixed(1)+","+py(p[1]).toFixed(1);}).join(" "),fill:"none",stroke:r.colour,"stroke-width":1.5},svg);el("title",{},line).textContent=r.label+" (mean of "+r.seeds+" seed(s))";});
      var cap=document.createElement("figcaption");cap.textContent=d.name+" — training loss";fig.appendChild(cap);box.appendChild(fig);drawn++;
    });
    if(!drawn)box.textContent="No loss curves recorded.";
    document.getElementById("status").textContent="rendered "+drawn+" loss chart(s)";
    root.setAttribute("data-rendered","ok");
  }catch(e){root.setAttribute("data-rendered","error: "+e.message);var s=document.getElementById("status");if(s)s.textContent="render error: "+e.message;throw e;}
})();`;

/** An HTML table of a text table (the footer as a bold row). */
function htmlTable(t: TextTable): string {
  const row = (cells: readonly string[], tag: "td" | "th") => `<tr>${cells.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join("")}</tr>`;
  return `<table><thead>${row(t.head, "th")}</thead><tbody>${t.rows.map((r) => row(r, "td")).join("")}${t.footer ? row(t.footer, "th") : ""}</tbody></table>`;
}

/**
 * report.html: one self-contained page (inline CSS, SVG and script; images as data: URLs; no
 * network): the Table 5 shaped table (mean ± sd over seeds), Dice and HD95 bar charts with
 * ± sd error bars per column, the paired differences with their intervals and verdicts, loss
 * curves (mean over seeds per column), and overlays (image, ground truth, each column's
 * prediction for the first seed). After drawing, the script sets `data-rendered="ok"` on <html>
 * (or `"error: …"`).
 */
export function reportHtml(results: StudyResults, extras: readonly JobExtras[], profiles: ProfileRegistry = builtinProfiles): string {
  const s = results.settings;
  const columns = results.summary.columns;
  const colour = (i: number) => VARIANT_COLOURS[i % VARIANT_COLOURS.length]!;
  const runs = (d: string, c: string) => results.jobs.flatMap((j, i) => (j.dataset === d && j.column === c ? [{ result: j, extras: extras[i] }] : []));
  const anyReal = results.jobs.some((j) => j.data === "real");
  const legend = (paper: boolean) => `<p class="legend">${columns.map((c, i) => `<span><i style="background:${colour(i)}"></i>${escapeHtml(c.label)}</span>`).join("")}${paper ? `<span><i style="background:#000;height:2px;vertical-align:3px"></i>paper</span>` : ""}</p>`;

  const diceChart = groupedBarChart(
    s.datasets.map((d) => {
      const cells = columns.map((c) => results.summary.cells[d]?.[c.id] ?? null);
      return {
        name: d,
        values: cells.map((x) => (x ? 100 * x.mean : null)),
        errors: cells.map((x) => (x?.sd === null || x?.sd === undefined ? null : 100 * x.sd)),
        marks: columns.map((c) => (c.strategy === null && dataKind(results, d) === "real" ? (paperDice(d, c.variant, profiles) ?? null) : null)),
      };
    }),
    columns.map((c) => c.label),
    { max: 100, unit: "%", title: `Mean foreground Dice (%) on the test split, mean ± sd over ${s.seeds.length} seed(s)` },
  );
  const hd = (d: string, c: string) => [...seedValues(results.jobs, d, c, (j) => j.meanHd95).values()];
  const hdValues = results.jobs.map((j) => j.meanHd95).filter((x): x is number => x !== null);
  const hdChart = groupedBarChart(
    s.datasets.map((d) => ({ name: d, values: columns.map((c) => seedMean(results.jobs, d, c.id, (j) => j.meanHd95)), errors: columns.map((c) => sampleSd(hd(d, c.id))) })),
    columns.map((c) => c.label),
    { max: Math.max(1, ...hdValues) * 1.05, unit: "mm", title: "Mean HD95 (mm) over classes with a finite value, mean ± sd over seeds" },
  );
  const diffChart = results.comparisons.items.length
    ? differenceChart(
        results.comparisons.items.map((c) => ({ label: c.title, mean: c.mean === null ? null : 100 * c.mean, interval: c.interval && [100 * c.interval[0], 100 * c.interval[1]], verdict: c.verdict, positive: c.positive, n: c.n })),
        { unit: "points", title: `Paired differences over datasets (Dice points), ${Math.round(100 * results.comparisons.bootstrap.confidence)} % bootstrap interval` },
      )
    : "";

  const overlayRows = s.datasets.map((d) => {
    const first = (c: string) => runs(d, c).sort((a, b) => a.result.seed - b.result.seed).find((r) => r.extras?.overlay);
    const present = columns.map((c) => first(c.id)).filter((x) => x !== undefined);
    const base = present[0]?.extras?.overlay;
    if (!base) return "";
    const legendClasses = Object.entries(present[0]!.result.classes).map(([id, name]) => {
      const c = CLASS_COLOURS[(Number(id) - 1) % CLASS_COLOURS.length]!;
      return `<span><i style="background:rgb(${c.join(",")})"></i>${escapeHtml(name)}</span>`;
    }).join("");
    const cells = columns.map((c) => {
      const r = first(c.id);
      const o = r?.extras?.overlay;
      return o ? `<td><img alt="${escapeHtml(`${d} ${c.label} prediction`)}" src="${o.prediction}">${escapeHtml(c.label)}<br><span class="muted">seed ${r!.result.seed}</span></td>` : `<td>–</td>`;
    });
    return `<tr><td style="text-align:left"><b>${escapeHtml(d)}</b><br><span class="muted">${escapeHtml(base.caseId)}, slice ${base.z}</span><div class="legend">${legendClasses}</div></td><td><img alt="${escapeHtml(`${d} image`)}" src="${base.image}">image</td><td><img alt="${escapeHtml(`${d} ground truth`)}" src="${base.truth}">ground truth</td>${cells.join("")}</tr>`;
  });

  const data = {
    datasets: s.datasets.map((d) => ({
      name: d,
      runs: columns.flatMap((c, i) => {
        const curves = runs(d, c.id).flatMap((r) => (r.extras && r.extras.curve.length ? [r.extras.curve] : []));
        return curves.length ? [{ label: c.label, colour: colour(i), seeds: curves.length, curve: meanCurve(curves) }] : [];
      }),
    })),
  };
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  const notes = sourceNotes(s, profiles);
  const ablation = ablationTable(results);
  const beside = paperAblationTable(results, profiles);
  const ablationHtml = ablation
    ? `<h2>Initialisation ablation (Ours with each inflation strategy, mean Dice %)</h2>
${htmlTable(ablation)}
${beside ? `<p>Beside the paper's initialisation ablation:</p>\n${htmlTable(beside)}` : ""}
<p>${escapeHtml(paperAblationNote(results, profiles))}</p>`
    : "";

  return `<!doctype html>
<html lang="en" data-rendered="pending">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>TransSeg study — ${escapeHtml(s.budget)} budget</title><style>${CSS}</style></head>
<body>
<h1>TransSeg study — ${escapeHtml(s.budget)} budget</h1>
<p>${results.jobs.length} job(s) of ${results.jobs.length + results.missing.length}; datasets ${escapeHtml(s.datasets.join(", "))}; training seeds ${s.seeds.join(", ")} (n = ${s.seeds.length}); data seed ${s.dataSeed}, split seed ${s.splitSeed}; design <code>${results.design.sha256}</code> (generator ${escapeHtml(results.design.generator)}). ${results.jobs.every((j) => j.data === "synthetic") ? "Synthetic phantom data: the numbers are not comparable with the paper's." : ""}</p>
${results.missing.length ? `<p class="muted">Missing jobs: ${escapeHtml(results.missing.join(", "))}</p>` : ""}
<h2>Pre-training sources</h2>
${notes.length ? `<ul>${notes.map((n) => `<li><b>${escapeHtml(n.name)}</b>: <code>${escapeHtml(n.file)}</code> (sha256 ${n.sha256.slice(0, 12)}…). ${escapeHtml(n.text)}</li>`).join("")}</ul>` : "<p>None: no variant of this study starts from a checkpoint.</p>"}
${s.plugins.length ? `<h2>Plugins</h2>\n<ul>${s.plugins.map((p) => `<li>${escapeHtml(describePlugin(p))}${p.version ? ` (sha256 ${p.sha256.slice(0, 12)}…)` : ""}</li>`).join("")}</ul>` : ""}
<h2>Mean Dice (%) — the paper's Table 5 (mean ± sd over seeds)</h2>
${htmlTable(diceTable(results, profiles))}
<h2>Comparisons (paired over datasets)</h2>
${htmlTable(comparisonTable(results))}
<p>${escapeHtml(comparisonStatement(results))}</p>
${diffChart}
${ablationHtml}
<h2>Dice and HD95 per dataset and column</h2>
${legend(anyReal)}
${diceChart}
${hdChart}
<h2>Training loss (mean over seeds)</h2>
${legend(false)}
<div id="curves" class="curves"></div>
<h2>Test-case overlays (the slice with the most ground truth)</h2>
<table class="overlays"><tbody>
${overlayRows.join("\n")}
</tbody></table>
<p id="status">not rendered (JavaScript is off?)</p>
<script type="application/json" id="study-data">${json}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
