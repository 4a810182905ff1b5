import { builtinProfiles, type ProfileRegistry } from "@transseg/datasets";
import { escapeHtml, groupedBarChart, VARIANT_COLOURS } from "./charts.js";
import { paperDice } from "./markdown.js";
import { CLASS_COLOURS } from "./overlay.js";
import type { JobExtras, StudyResults } from "./results.js";

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}
.chart text{font-size:11px;fill:#333}.chart .title{font-size:13px;font-weight:600}.grid{stroke:#e4e4e4}.mark{stroke:#000;stroke-width:2}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
.curves{display:flex;flex-wrap:wrap;gap:12px}.curves figure{margin:0}.curves figcaption{font-size:12px;text-align:center}
.overlays td{text-align:center;vertical-align:top}.overlays img{width:128px;height:128px;image-rendering:pixelated;display:block}
.muted{color:#777;font-size:12px}#status{font-size:12px;color:#777}`;

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
      runs.forEach(function(r){el("polyline",{points:r.curve.map(function(p){return px(p[0]).toFixed(1)+","+py(p[1]).toFixed(1);}).join(" "),fill:"none",stroke:r.colour,"stroke-width":1.5},svg);});
      var cap=document.createElement("figcaption");cap.textContent=d.name+" — training loss";fig.appendChild(cap);box.appendChild(fig);drawn++;
    });
    if(!drawn)box.textContent="No loss curves recorded.";
    document.getElementById("status").textContent="rendered "+drawn+" loss chart(s)";
    root.setAttribute("data-rendered","ok");
  }catch(e){root.setAttribute("data-rendered","error: "+e.message);var s=document.getElementById("status");if(s)s.textContent="render error: "+e.message;throw e;}
})();`;

const pct = (v: number | null | undefined) => (v === null || v === undefined ? "–" : (100 * v).toFixed(2));

/**
 * report.html: one self-contained page (inline CSS, SVG and script; images as data: URLs; no
 * network): the Table 5 shaped table, bar charts of Dice and HD95 per dataset and variant,
 * loss curves from each run's metrics.jsonl, and overlays (image, ground truth, predictions).
 * After drawing, the script sets `data-rendered="ok"` on <html> (or `"error: …"`).
 */
export function reportHtml(results: StudyResults, extras: readonly JobExtras[], profiles: ProfileRegistry = builtinProfiles): string {
  const s = results.settings;
  const byKey = new Map(results.jobs.map((j, i) => [j.key, { result: j, extras: extras[i] }]));
  const columns = [...s.variants.map((v) => ({ key: v, label: results.jobs.find((j) => j.variant === v && j.key.endsWith(`/${v}`))?.label ?? v })), ...s.strategies.filter((st) => !(st === "center" && s.variants.includes("ours"))).map((st) => ({ key: `ours-${st}`, label: `Ours (${st})` }))];
  const colour = (i: number) => VARIANT_COLOURS[i % VARIANT_COLOURS.length]!;
  const job = (d: string, c: string) => byKey.get(`${d}/${c}`);
  const legend = `<p class="legend">${columns.map((c, i) => `<span><i style="background:${colour(i)}"></i>${escapeHtml(c.label)}</span>`).join("")}${results.jobs.some((j) => j.data === "real") ? `<span><i style="background:#000;height:2px;vertical-align:3px"></i>paper</span>` : ""}</p>`;

  const table = [
    `<table><thead><tr><th>dataset</th><th>data</th>${columns.map((c) => `<th>${escapeHtml(c.label)}</th>`).join("")}</tr></thead><tbody>`,
    ...s.datasets.map((d) => `<tr><td>${escapeHtml(d)}</td><td>${results.jobs.find((j) => j.dataset === d)?.data ?? "–"}</td>${columns.map((c) => {
      const j = job(d, c.key)?.result;
      const p = j?.data === "real" ? paperDice(d, c.key, profiles) : undefined;
      return `<td>${pct(j?.meanDice)}${p !== undefined ? ` <span class="muted">(paper ${p.toFixed(2)})</span>` : ""}</td>`;
    }).join("")}</tr>`),
    `</tbody></table>`,
  ].join("\n");

  const diceChart = groupedBarChart(
    s.datasets.map((d) => ({
      name: d,
      values: columns.map((c) => (job(d, c.key)?.result.meanDice ?? null) === null ? null : 100 * job(d, c.key)!.result.meanDice!),
      marks: columns.map((c) => (job(d, c.key)?.result.data === "real" ? (paperDice(d, c.key, profiles) ?? null) : null)),
    })),
    columns.map((c) => c.label),
    { max: 100, unit: "%", title: "Mean foreground Dice (%) on the test split" },
  );
  const hdValues = results.jobs.map((j) => j.meanHd95).filter((x): x is number => x !== null);
  const hdChart = groupedBarChart(
    s.datasets.map((d) => ({ name: d, values: columns.map((c) => job(d, c.key)?.result.meanHd95 ?? null) })),
    columns.map((c) => c.label),
    { max: Math.max(1, ...hdValues) * 1.05, unit: "mm", title: "Mean HD95 (mm) over classes with a finite value" },
  );

  const overlayRows = s.datasets.map((d) => {
    const present = columns.map((c) => job(d, c.key)).filter((x) => x?.extras?.overlay);
    const first = present[0]?.extras?.overlay;
    if (!first) return "";
    const classes = present[0]!.result.classes;
    const legendClasses = Object.entries(classes).map(([id, name]) => {
      const c = CLASS_COLOURS[(Number(id) - 1) % CLASS_COLOURS.length]!;
      return `<span><i style="background:rgb(${c.join(",")})"></i>${escapeHtml(name)}</span>`;
    }).join("");
    const cells = columns.map((c) => {
      const o = job(d, c.key)?.extras?.overlay;
      return o ? `<td><img alt="${escapeHtml(`${d} ${c.label} prediction`)}" src="${o.prediction}">${escapeHtml(c.label)}</td>` : `<td>–</td>`;
    });
    return `<tr><td style="text-align:left"><b>${escapeHtml(d)}</b><br><span class="muted">${escapeHtml(first.caseId)}, slice ${first.z}</span><div class="legend">${legendClasses}</div></td><td><img alt="${escapeHtml(`${d} image`)}" src="${first.image}">image</td><td><img alt="${escapeHtml(`${d} ground truth`)}" src="${first.truth}">ground truth</td>${cells.join("")}</tr>`;
  });

  const data = {
    datasets: s.datasets.map((d) => ({
      name: d,
      runs: columns.flatMap((c, i) => {
        const j = job(d, c.key);
        return j?.extras ? [{ label: c.label, colour: colour(i), curve: j.extras.curve }] : [];
      }),
    })),
  };
  const json = JSON.stringify(data).replace(/</g, "\\u003c");

  return `<!doctype html>
<html lang="en" data-rendered="pending">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>TransSeg study — ${escapeHtml(s.budget)} budget</title><style>${CSS}</style></head>
<body>
<h1>TransSeg study — ${escapeHtml(s.budget)} budget</h1>
<p>${results.jobs.length} job(s) of ${results.jobs.length + results.missing.length}; datasets ${escapeHtml(s.datasets.join(", "))}; seed ${s.seed}, split seed ${s.splitSeed}; pre-trained 2D checkpoint ${s.pretrained ? `<code>${escapeHtml(s.pretrained.file.split("/").pop() ?? "")}</code> (sha256 ${s.pretrained.sha256.slice(0, 12)}…)` : "none"}. ${results.jobs.every((j) => j.data === "synthetic") ? "Synthetic phantom data: the numbers are not comparable with the paper's." : ""}</p>
${results.missing.length ? `<p class="muted">Missing jobs: ${escapeHtml(results.missing.join(", "))}</p>` : ""}
<h2>Mean Dice (%) — the paper's Table 5</h2>
${table}
<h2>Dice and HD95 per dataset and variant</h2>
${legend}
${diceChart}
${hdChart}
<h2>Training loss</h2>
${legend}
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
