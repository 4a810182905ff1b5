/**
 * `transseg eval` as a whole process — Node start, reading four pairs of 256×256×160 two-class
 * organ-like masks (.nii.gz), Dice / IoU / HD / HD95 / ASSD, the report — against the scipy
 * reference as a whole process (python start, numpy / scipy / nibabel imports, nibabel reads,
 * shared/ref/metrics_ref.py `per_class` for each pair), on the same files. The CLI scores the
 * pairs on one thread, inflating the next pair on libuv's pool while it scores one (workers only
 * for larger evaluations: four pairs do not pay for one).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { writeNifti } from "@transseg/datasets";
import type { CaseMetrics } from "@transseg/metrics";
import { runMeasured } from "../measure.js";
import type { BenchResult, BenchSuite } from "../suite.js";
import { describeDifferences, organMasks, referenceScript, relativeDifferences } from "./metrics.js";

const CLI = resolve(import.meta.dirname, "../../../cli/dist/bin.js");
const SPACING = [0.8, 0.8, 2.0] as const;
const PAIRS = 4;

/** Reads every pair with nibabel and scores classes 1 and 2 with metrics_ref.per_class; prints JSON. */
const DRIVER = `
import importlib.util, json, math, sys
import nibabel as nib
import numpy as np
spec = importlib.util.spec_from_file_location("metrics_ref", sys.argv[1])
ref = importlib.util.module_from_spec(spec); spec.loader.exec_module(ref)
plain = lambda v: None if math.isnan(v) else ("inf" if math.isinf(v) else v)
out = []
for pred, gt in zip(sys.argv[2::2], sys.argv[3::2]):
    p, g = nib.load(pred), nib.load(gt)
    res = ref.per_class(np.asarray(p.dataobj), np.asarray(g.dataobj), [1, 2], tuple(float(z) for z in g.header.get_zooms()[:3]))
    out.append({c: {k: plain(v) for k, v in m.items()} for c, m in res.items()})
print(json.dumps(out))
`;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const evalSuite = {
  id: "eval",
  description: "transseg eval (whole process, 4 pairs of 256x256x160 two-class masks) vs the scipy reference whole process",
  async run(ctx) {
    const shape = ctx.quick ? [128, 128, 80] : [256, 256, 160];
    const repeats = ctx.quick ? 1 : 3;
    const gt = organMasks(shape, false);
    const pred = organMasks(shape, true);
    const dirs = { pred: join(ctx.tmpDir, "eval-pred"), gt: join(ctx.tmpDir, "eval-gt") };
    mkdirSync(dirs.pred, { recursive: true });
    mkdirSync(dirs.gt, { recursive: true });
    const files: string[] = [];
    for (let k = 0; k < PAIRS; k++) {
      const name = `case${k}.nii.gz`;
      await writeNifti(join(dirs.pred, name), { data: pred, shape, spacing: [...SPACING] });
      await writeNifti(join(dirs.gt, name), { data: gt, shape, spacing: [...SPACING] });
      files.push(join(dirs.pred, name), join(dirs.gt, name));
    }
    const name = `eval ${PAIRS} pairs ${shape.join("x")} .nii.gz, two classes, whole process, median of ${repeats}`;
    const json = join(ctx.tmpDir, "eval.json");
    const ours = () => runMeasured(process.execPath, [CLI, "eval", "--pred", dirs.pred, "--gt", dirs.gt, "--classes", "1,2", "--json", json]);
    const py = await ctx.pythonWith(["scipy", "numpy", "nibabel"]);
    const script = referenceScript(ctx.fixtures);
    if (!py || !script) {
      ctx.log(!py ? "python3 with scipy + numpy + nibabel is not available: no reference" : "shared/ref/metrics_ref.py not found: no reference");
      const runs = [];
      for (let i = 0; i < repeats; i++) runs.push((await ours()).seconds);
      return [{ name, ours: { seconds: median(runs) } }];
    }
    const driver = join(ctx.tmpDir, "eval-driver.py");
    writeFileSync(driver, DRIVER);
    ctx.log(`transseg eval and the scipy reference, ${repeats} interleaved runs each …`);
    const oursRuns: number[] = [];
    const refRuns: number[] = [];
    const oursCpu: number[] = [];
    const refCpu: number[] = [];
    let refOut = "";
    for (let i = 0; i < repeats; i++) {
      const o = await ours();
      oursRuns.push(o.seconds);
      if (o.cpuSeconds !== undefined) oursCpu.push(o.cpuSeconds);
      const r = await runMeasured(py, [driver, script, ...files]);
      refRuns.push(r.seconds);
      if (r.cpuSeconds !== undefined) refCpu.push(r.cpuSeconds);
      refOut = r.stdout;
    }
    const report = JSON.parse(readFileSync(json, "utf8")) as { cases: { classes: Record<string, Record<string, number | null | "inf">> }[] };
    const expected = JSON.parse(refOut) as Record<string, Record<string, number | null | string>>[];
    const worst = new Map<string, number>();
    report.cases.forEach((c, k) => {
      const asNumbers = Object.fromEntries(Object.entries(c.classes).map(([cls, m]) => [cls, Object.fromEntries(Object.entries(m).map(([n, v]) => [n, v === null ? Number.NaN : v === "inf" ? Number.POSITIVE_INFINITY : v]))]));
      for (const [n, d] of relativeDifferences(asNumbers as unknown as CaseMetrics, expected[k]!)) worst.set(n, Math.max(worst.get(n) ?? 0, d));
    });
    const seconds = median(oursRuns);
    const refSeconds = median(refRuns);
    const ratio = refSeconds / seconds;
    const diff = Math.max(...worst.values());
    const result: BenchResult = {
      name,
      ours: { seconds },
      reference: { label: "scipy metrics_ref.py + nibabel, whole process", seconds: refSeconds },
      target: ctx.quick ? "≥ 5× faster than the scipy whole process at 256x256x160 (not judged on --quick sizes)" : "≥ 5× faster than the scipy whole process",
      ...(ctx.quick ? {} : { met: ratio >= 5 && diff <= 1e-9 }),
      notes: `${ratio.toFixed(1)}× faster; ${describeDifferences(worst)}; ${availableParallelism()} cores (eval: one scoring thread, inflation on libuv's pool); runs ours ${oursRuns.map((s) => s.toFixed(2)).join(" / ")} s, scipy ${refRuns.map((s) => s.toFixed(2)).join(" / ")} s${
        oursCpu.length && refCpu.length ? `; CPU time (user + system, median) ours ${median(oursCpu).toFixed(2)} s, scipy ${median(refCpu).toFixed(2)} s` : ""
      }`,
    };
    return [result];
  },
} as const satisfies BenchSuite;
