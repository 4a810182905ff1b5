/**
 * HD95 (with Dice, HD, pooled HD95 and ASSD, which come with it) on a two-class
 * 256×256×160 pair of organ-like masks: @transseg/metrics vs the scipy reference
 * (shared/ref/metrics_ref.py), same masks, same values, in the same run.
 */
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { computeCaseMetrics, type CaseMetrics } from "@transseg/metrics";
import { runMeasured } from "../measure.js";
import type { BenchResult, BenchSuite } from "../suite.js";
import { sharedDir } from "@transseg/weights/testing/shared-dir"; // without vitest (unlike the testing entry)

const SPACING = [0.8, 0.8, 2.0] as const;

interface Organ {
  readonly label: number;
  readonly centre: readonly [number, number, number];
  readonly radii: readonly [number, number, number];
}

/** A liver-like and a spleen-like ellipsoid (voxels), scaled to the volume. */
function organs(shape: readonly number[]): Organ[] {
  const [X, Y, Z] = shape as [number, number, number];
  return [
    { label: 1, centre: [0.58 * X, 0.47 * Y, 0.5 * Z], radii: [0.22 * X, 0.17 * Y, 0.21 * Z] },
    { label: 2, centre: [0.28 * X, 0.55 * Y, 0.53 * Z], radii: [0.1 * X, 0.08 * Y, 0.15 * Z] },
  ];
}

/**
 * Smooth organ-like masks, deterministic: each organ is an ellipsoid whose radius is modulated
 * by low-frequency waves; the prediction shifts, scales and re-modulates every organ.
 */
export function organMasks(shape: readonly number[], prediction: boolean): Uint8Array {
  const [X, Y, Z] = shape as [number, number, number];
  const out = new Uint8Array(X * Y * Z);
  for (const o of organs(shape)) {
    const shift = prediction ? [2.5 * o.label - 1, -1.5, 0.8] : [0, 0, 0];
    const scale = prediction ? 1.04 : 1;
    const phase = prediction ? 1.3 : 0;
    const c = o.centre.map((v, k) => v + shift[k]!);
    const r = o.radii.map((v) => v * scale);
    const lo = c.map((v, k) => Math.max(0, Math.floor(v - 1.3 * r[k]!)));
    const hi = c.map((v, k) => Math.min(shape[k]! - 1, Math.ceil(v + 1.3 * r[k]!)));
    for (let z = lo[2]!; z <= hi[2]!; z++) {
      const w = (z - c[2]!) / r[2]!;
      for (let y = lo[1]!; y <= hi[1]!; y++) {
        const v = (y - c[1]!) / r[1]!;
        for (let x = lo[0]!; x <= hi[0]!; x++) {
          const u = (x - c[0]!) / r[0]!;
          const wave = 1 + 0.08 * Math.sin(3 * u + 2 * v + phase) * Math.cos(2 * w - phase) + 0.05 * Math.sin(5 * v - 3 * w);
          if (u * u + v * v + w * w < wave * wave) out[x + X * (y + Y * z)] = o.label;
        }
      }
    }
  }
  return out;
}

/** Loads the raw masks (axis 0 fastest), runs metrics_ref.per_class `repeats` times, prints JSON. */
const DRIVER = `
import importlib.util, json, math, sys, time
import numpy as np
spec = importlib.util.spec_from_file_location("metrics_ref", sys.argv[1])
ref = importlib.util.module_from_spec(spec); spec.loader.exec_module(ref)
shape = tuple(json.loads(sys.argv[4])); spacing = tuple(json.loads(sys.argv[5])); repeats = int(sys.argv[6])
pred = np.fromfile(sys.argv[2], dtype=np.uint8).reshape(shape, order="F")
gt = np.fromfile(sys.argv[3], dtype=np.uint8).reshape(shape, order="F")
times, cpu = [], []
for _ in range(repeats):
    t, c = time.perf_counter(), time.process_time()
    res = ref.per_class(pred, gt, [1, 2], spacing)
    times.append(time.perf_counter() - t); cpu.append(time.process_time() - c)
plain = lambda v: None if math.isnan(v) else ("inf" if math.isinf(v) else v)
print(json.dumps({"times": times, "cpu": cpu, "metrics": {c: {k: plain(v) for k, v in m.items()} for c, m in res.items()}}))
`;

/** Best of several runs: the least disturbed by other processes on a shared machine. */
const best = (xs: readonly number[]): number => Math.min(...xs);

/** Per metric: the largest relative difference between ours and the reference (0 = identical; Infinity = a NaN/inf mismatch). */
export function relativeDifferences(ours: CaseMetrics, ref: Record<string, Record<string, number | null | string>>): Map<string, number> {
  const worst = new Map<string, number>();
  for (const [cls, m] of Object.entries(ref)) {
    for (const [name, value] of Object.entries(m)) {
      const a = ours[cls]![name as "dice"];
      let d: number;
      if (typeof value !== "number") d = (value === null ? Number.isNaN(a) : a === Number.POSITIVE_INFINITY) ? 0 : Number.POSITIVE_INFINITY;
      else d = value === 0 ? Math.abs(a) : Math.abs(a - value) / Math.abs(value);
      worst.set(name, Math.max(worst.get(name) ?? 0, d));
    }
  }
  return worst;
}

/** "identical" or "identical except assd (≤ 4e-14 relative)". */
export function describeDifferences(diffs: Map<string, number>): string {
  const differing = [...diffs].filter(([, d]) => d > 0);
  if (differing.length === 0) return `values identical (${[...diffs.keys()].join(", ")}; both classes)`;
  const same = [...diffs].filter(([, d]) => d === 0).map(([n]) => n);
  return `values identical for ${same.join(", ") || "none"}; ${differing.map(([n, d]) => `${n} ≤ ${d.toExponential(1)} relative`).join(", ")}`;
}

export function referenceScript(fixtures: string | null): string | null {
  const candidates = [
    ...(fixtures ? [join(dirname(fixtures), "ref", "metrics_ref.py")] : []),
    sharedDir("ref", "metrics_ref.py"),
  ];
  return candidates.find((p) => existsSync(p)) ?? null;
}

export const metricsSuite = {
  id: "metrics",
  description: "HD95 (+ Dice, HD, pooled HD95, ASSD) of a two-class 256x256x160 organ-like pair vs scipy (metrics_ref.py)",
  async run(ctx) {
    const shape = ctx.quick ? [128, 128, 80] : [256, 256, 160];
    const repeats = ctx.quick ? 3 : 5;
    const gt = organMasks(shape, false);
    const pred = organMasks(shape, true);
    const options = { shape, spacing: [...SPACING], classes: [1, 2] };
    computeCaseMetrics(pred, gt, options); // warm-up (JIT)
    const times: number[] = [];
    const cpu: number[] = [];
    let ours: CaseMetrics = {};
    for (let i = 0; i < repeats; i++) {
      const t = process.hrtime.bigint();
      const c = process.cpuUsage();
      ours = computeCaseMetrics(pred, gt, options);
      const used = process.cpuUsage(c);
      times.push(Number(process.hrtime.bigint() - t) / 1e9);
      cpu.push((used.user + used.system) / 1e6);
    }
    const seconds = best(times);
    const summary = `hd95 ${ours["1"]!.hd95.toFixed(3)} / ${ours["2"]!.hd95.toFixed(3)} mm, dice ${ours["1"]!.dice.toFixed(4)} / ${ours["2"]!.dice.toFixed(4)}`;
    const name = `HD95 two classes ${shape.join("x")} (spacing ${SPACING.join(",")} mm), best of ${repeats}`;
    const py = await ctx.pythonWith(["scipy", "numpy"]);
    const script = referenceScript(ctx.fixtures);
    if (!py || !script) {
      ctx.log(!py ? "python3 with scipy + numpy is not available: no reference" : "shared/ref/metrics_ref.py not found: no reference");
      return [{ name, ours: { seconds }, notes: summary }];
    }
    const predFile = join(ctx.tmpDir, "pred.u8");
    const gtFile = join(ctx.tmpDir, "gt.u8");
    const driver = join(ctx.tmpDir, "driver.py");
    writeFileSync(predFile, pred);
    writeFileSync(gtFile, gt);
    writeFileSync(driver, DRIVER);
    ctx.log("reference: metrics_ref.per_class (scipy) …");
    const args = [driver, script, predFile, gtFile, JSON.stringify(shape), JSON.stringify(SPACING)];
    const run = await runMeasured(py, [...args, String(repeats)]);
    ctx.log("reference: once more as a whole process (start, imports, reading, one computation) …");
    const whole = await runMeasured(py, [...args, "1"]);
    const out = JSON.parse(run.stdout) as { times: number[]; cpu: number[]; metrics: Record<string, Record<string, number | null | string>> };
    const refSeconds = best(out.times);
    const diffs = relativeDifferences(ours, out.metrics);
    const diff = Math.max(...diffs.values());
    const ratio = refSeconds / seconds;
    const cpuRatio = best(out.cpu) / best(cpu);
    const result: BenchResult = {
      name,
      ours: { seconds },
      reference: { label: "scipy metrics_ref.py (computation only)", seconds: refSeconds },
      target: ctx.quick ? "≥ 5× faster than scipy at 256x256x160 (not judged on --quick sizes)" : "≥ 5× faster than scipy (computation)",
      ...(ctx.quick ? {} : { met: ratio >= 5 && diff <= 1e-9 }),
      notes:
        `${ratio.toFixed(1)}× faster (CPU time: ours ${(best(cpu) * 1000).toFixed(0)} ms, scipy ${(best(out.cpu) * 1000).toFixed(0)} ms, ${cpuRatio.toFixed(1)}×); ${describeDifferences(diffs)}; ` +
        `times are the computation itself, in-process, best of ${repeats} (ours after one warm-up run); ` +
        `reference as a whole process (python start, numpy/scipy imports, reading the masks, one computation): ${whole.seconds.toFixed(2)} s; ${summary}`,
    };
    return [result];
  },
} as const satisfies BenchSuite;
