import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { groupedBarChart } from "./charts.js";
import { differenceChart, niceCeil } from "./difference-chart.js";
import { resultsMarkdown } from "./markdown.js";
import { reportHtml } from "./report.js";
import { summarize } from "./summary.js";
import { sampleResults } from "./testing-results.js";
import { builtinStrategies } from "@transseg/inflate";

const chromium = ["chromium", "chromium-browser", "google-chrome"].find((c) => spawnSync("which", [c]).status === 0);
const CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];
const count = (s: string, re: RegExp) => s.match(re)?.length ?? 0;

describe("results.md", () => {
  it("is shaped like Table 5: datasets as rows, Ours / w/o D per source and w/o T&D as columns, mean ± sd (%) over seeds", () => {
    const { results } = sampleResults();
    const md = resultsMarkdown(results);
    expect(md.split("\n")[0]).toBe(`# TransSeg study — quick budget — design ${results.design.sha256}`);
    expect(md).toContain("over n = 3 training seed(s) (0, 1, 2)");
    expect(md).toContain("| dataset | data | Ours (medical) | Ours (natural) | w/o D (medical) | w/o D (natural) | w/o T&D |");
    expect(md).toContain("| ACDC | synthetic | 90.00 ± 1.00 | 85.00 ± 1.00 | 80.00 ± 1.00 | 78.00 ± 1.00 | 70.00 ± 1.00 |");
    expect(md).toContain("| Task09_Spleen | synthetic | 85.00 ± 1.00 | 80.00 ± 1.00 | 75.00 ± 1.00 | 73.00 ± 1.00 | 65.00 ± 1.00 |");
    expect(md).toContain("| **mean** |  | 87.50 | 82.50 | 77.50 | 75.50 | 67.50 |");
    expect(md).not.toContain("paper Ours"); // synthetic data: no paper columns
  });

  it("leaves out the sd for one seed, marks cells with fewer seeds, keeps plain labels for one unnamed checkpoint", () => {
    const one = resultsMarkdown(sampleResults({ seeds: [1], sources: ["pretrained"] }).results);
    expect(one).toContain("| dataset | data | Ours | w/o D | w/o T&D |");
    expect(one).toContain("| ACDC | synthetic | 90.00 | 80.00 | 70.00 |");
    const { results } = sampleResults();
    const jobs = results.jobs.filter((j) => j.key !== "ACDC/random/s2");
    const partial = resultsMarkdown({ ...results, jobs, summary: summarize(results.settings, jobs) });
    expect(partial).toContain("| 78.00 ± 1.00 | 69.50 ± 0.71 (n=2) |");
  });

  it("puts the paper's numbers after each variant's columns on real data", () => {
    const md = resultsMarkdown(sampleResults({ data: "real" }).results);
    expect(md).toContain("| dataset | data | Ours (medical) | Ours (natural) | paper Ours | w/o D (medical) | w/o D (natural) | paper w/o D | w/o T&D |");
    expect(md).toContain("| ACDC | real, paper split | 90.00 ± 1.00 | 85.00 ± 1.00 | 92.69 | 80.00 ± 1.00 | 78.00 ± 1.00 | 92.62 | 70.00 ± 1.00 |");
  });

  it("marks a real-data row by its split: the paper's, or the seeded one when the data are not the paper's list", () => {
    const { results } = sampleResults({ data: "real" });
    const jobs = results.jobs.map((j) => (j.dataset === "ACDC" ? { ...j, split: { ...j.split!, paper: false, fallbackReason: "another list" } } : j));
    const md = resultsMarkdown({ ...results, jobs });
    expect(md).toContain("| ACDC | real, seeded split | 90.00 ± 1.00 |");
    expect(md).toContain("| Task09_Spleen | real, paper split | 85.00 ± 1.00 |");
  });

  it("draws the ablation on BTCV beside the paper's three numbers (random, average, centering from the BTCV profile), a plugin's strategy in its own column", () => {
    const strategies = { ...builtinStrategies, triangle: { ...builtinStrategies.average, id: "triangle", description: "beyond the paper: a test strategy" } };
    const { results, extras } = sampleResults({ datasets: ["BTCV"], variants: ["ours"], strategies: ["average", "repeat", "triangle"], sources: ["medical"], registries: { strategies } });
    const md = resultsMarkdown(results);
    expect(md).toContain("| dataset | medical: center | medical: average | medical: repeat | medical: triangle |");
    expect(md).toContain("Beside the paper's initialisation ablation:\n\n| BTCV | random | average | centering (center) | repeat | triangle |\n| --- | ---: | ---: | ---: | ---: | ---: |\n| paper | 72.49 | 76.33 | 84.30 | – | – |\n| Ours (medical) | – | 60.00 ± 1.00 | 90.00 ± 1.00 | 60.00 ± 1.00 | 60.00 ± 1.00 |");
    expect(md).toContain("Paper (BTCV, mean Dice (%) over its 8 reported organs): random 72.49, average 76.33, centering 84.30.");
    expect(md).toContain("Our BTCV numbers are on synthetic phantoms");
    const html = reportHtml(results, extras);
    expect(html).toContain("<th>BTCV</th><th>random</th><th>average</th><th>centering (center)</th><th>repeat</th><th>triangle</th>");
    expect(html).toContain("<td>paper</td><td>72.49</td><td>76.33</td><td>84.30</td>");
    // without BTCV in the study, the note says where the paper ran it
    expect(resultsMarkdown(sampleResults({ strategies: ["average"] }).results)).toContain("The paper ran this ablation on BTCV (mean Dice (%) over its 8 reported organs: random 72.49, average 76.33, centering 84.30); add BTCV to --datasets to see it beside ours.");
  });

  it("lists the comparisons with mean difference in points, interval, positive datasets and verdict, and says what held", () => {
    const md = resultsMarkdown(sampleResults().results);
    expect(md).toContain("| comparison | mean difference (Dice points) | 95 % CI | positive datasets | verdict |");
    expect(md).toContain("| Depth (Ours − w/o D, medical) | +10.00 | [+10.00, +10.00] | 2/2 | holds |");
    expect(md).toContain("| Source (w/o D: medical − natural) | +2.00 | [+2.00, +2.00] | 2/2 | holds |");
    expect(md).toContain("Held (interval above zero): Depth (Ours − w/o D, medical): +10.00 points [+10.00, +10.00], positive on 2/2 datasets;");
    expect(md).toContain("Reversed (interval below zero): none.");
    expect(md).toContain("(10000 resamples, seed 20221)");
  });

  it("says which source resembles the evaluation tasks and which is the natural-like one", () => {
    const md = resultsMarkdown(sampleResults().results);
    expect(md).toMatch(/- \*\*medical\*\*: `medical\.safetensors` \(sha256 0{12}…\)\. .*share spleen with Task09_Spleen\), so its transfer is closer to in-domain than ImageNet's\./);
    expect(md).toMatch(/- \*\*natural\*\*: .*formula-driven natural-like source/);
  });

  it("shows the ablation per source and lists Dice per class per job", () => {
    const md = resultsMarkdown(sampleResults({ strategies: ["average"] }).results);
    expect(md).toContain("| dataset | medical: center | medical: average | natural: center | natural: average |");
    expect(md).toContain("| ACDC | 90.00 ± 1.00 | 60.00 ± 1.00 | 85.00 ± 1.00 | 60.00 ± 1.00 |");
    expect(md).toContain("- **ACDC/ours-average@natural/s2** (Ours (natural, average), seed 2, 10 steps, test cases case_1): a<b 61.00");
  });
});

describe("charts", () => {
  it("bar charts draw one error bar per value with an error", () => {
    const svg = groupedBarChart([{ name: "a", values: [50, null, 20], errors: [5, 3, null] }], ["x", "y", "z"], { max: 100, unit: "%", title: "t" });
    expect(count(svg, /<rect /g)).toBe(2);
    expect(count(svg, /class="err"/g)).toBe(1); // y has no value, z no error
    expect(svg).toContain('y1="149" y2="127"'); // 50 ± 5 of 100 on a 220 px axis starting at y = 28: y(45) = 149, y(55) = 127
  });

  it("the difference chart has a zero line, one whisker per interval, one dot per mean and the verdicts", () => {
    const svg = differenceChart([
      { label: "A", mean: 3, interval: [1, 5], verdict: "holds", positive: 9, n: 11 },
      { label: "B", mean: -0.5, interval: [-2, 1], verdict: "inconclusive", positive: 4, n: 11 },
      { label: "C", mean: 2, interval: null, verdict: "inconclusive", positive: 1, n: 1 },
    ], { unit: "points", title: "d" });
    expect(count(svg, /class="zero"/g)).toBe(1);
    expect(count(svg, /class="ci"/g)).toBe(2);
    expect(count(svg, /class="diff-mean"/g)).toBe(3);
    expect(svg).toContain("holds · 9/11 positive");
    expect(svg).toContain("inconclusive · 1/1 positive");
    expect([0.7, 1, 1.2, 3, 7, 11, 48].map(niceCeil)).toEqual([1, 1, 2, 5, 10, 20, 50]);
  });
});

describe("report.html", () => {
  const { results, extras } = sampleResults({ data: "real" });
  const html = reportHtml(results, extras);
  const columns = 5;
  const datasets = 2;

  it("is one self-contained page: no external resources, images as data: URLs, escaped text", () => {
    expect(html).not.toMatch(/<link\b|<script[^>]*\bsrc=|<img[^>]*src="(?!data:)|url\(http|@import/);
    expect(count(html, /<img /g)).toBe(datasets * (2 + columns)); // image, truth, one prediction per column (first seed)
    expect(html).toContain("a&lt;b"); // the class name is escaped
    expect(html).toContain('data-rendered="pending"');
    expect(count(html, /<svg /g)).toBe(3); // Dice and HD95 bars, differences; loss curves are drawn by the script
    expect(html).toContain("<td>92.69</td>"); // the paper's number beside ours
    expect(html).toContain(results.design.sha256);
  });

  it("draws ± sd error bars on every bar, and one whisker per comparison in the differences chart", () => {
    expect(count(html, /<g class="err">/g)).toBe(2 * datasets * columns); // Dice and HD95, 3 seeds everywhere
    expect(count(html, /class="ci"/g)).toBe(results.comparisons.items.length);
    expect(results.comparisons.items).toHaveLength(8);
    const one = sampleResults({ seeds: [0] });
    expect(count(reportHtml(one.results, one.extras), /<g class="err">/g)).toBe(0); // one seed: no sd
  });

  it.skipIf(!chromium)("renders in headless Chromium without script errors (data-rendered=ok, loss charts and error bars drawn)", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-report-"));
    const file = join(dir, "report.html");
    writeFileSync(file, html);
    const r = spawnSync(chromium!, [...CHROME_FLAGS, "--enable-logging=stderr", "--v=0", "--dump-dom", `file://${file}`], { encoding: "utf8", timeout: 60_000 });
    expect(r.stdout).toContain('data-rendered="ok"');
    expect(r.stdout).toContain(`rendered ${datasets} loss chart(s)`);
    expect(count(r.stdout, /<polyline /g)).toBe(datasets * columns); // one mean curve per column
    expect(count(r.stdout, /<g class="err">/g)).toBe(2 * datasets * columns);
    expect(count(r.stdout, /class="ci"/g)).toBe(8);
    expect(r.stderr).not.toMatch(/Uncaught|SyntaxError|TypeError/);
    // a page whose script fails is caught by the same check
    writeFileSync(file, html.replace('id="study-data">', 'id="study-data">{'));
    const bad = spawnSync(chromium!, [...CHROME_FLAGS, "--dump-dom", `file://${file}`], { encoding: "utf8", timeout: 60_000 });
    expect(bad.stdout).toMatch(/data-rendered="error: /);
  });
  if (!chromium) it.skip("headless Chromium test skipped: no chromium on PATH (Debian: apt-get install chromium)", () => {});
});
