import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { CaseMetrics, MetricName } from "@transseg/metrics";
import { intOpt, MAX_VOXELS_OPTION, maxVoxelsOpt, parseNumberList, requiredOpt, stringOpt } from "../args.js";
import type { Command } from "../command.js";
import { UsageError } from "../errors.js";
import { readPair } from "./eval-pair.js";

const NIFTI = /\.nii(\.gz)?$/;

/** Pairs prediction and ground-truth files: two files, or two folders matched by file name. */
export function pairFiles(pred: string, gt: string): { pred: string; gt: string }[] {
  const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
  if (!isDir(pred) && !isDir(gt)) return [{ pred, gt }];
  if (!isDir(pred) || !isDir(gt)) throw new UsageError(`--pred and --gt must both be files or both be folders (${pred}, ${gt})`);
  const list = (d: string) => readdirSync(d).filter((f) => NIFTI.test(f)).sort();
  const predFiles = list(pred);
  const gtFiles = new Set(list(gt));
  if (predFiles.length === 0) throw new UsageError(`${pred}: no .nii or .nii.gz files`);
  const missing = predFiles.filter((f) => !gtFiles.has(f));
  if (missing.length) throw new UsageError(`${gt}: no ground truth for ${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ` and ${missing.length - 3} more` : ""}`);
  return predFiles.map((f) => ({ pred: join(pred, f), gt: join(gt, f) }));
}

function writeAtomic(path: string, text: string, writeFailure: (path: string, e: unknown) => Error): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeFailure(path, e);
  }
}


const fmt = (v: number) => (Number.isNaN(v) ? "-" : v === Infinity ? "inf" : v.toFixed(4));

export const evalCommand = {
  name: "eval",
  summary: "Compare predicted and ground-truth label volumes: Dice, IoU, HD, HD95, ASSD",
  usage: `Usage: transseg eval --pred <file|dir> --gt <file|dir> [--classes 1,2,3] [--json <file>] [--csv <file>]

Folders are paired by file name. Distances are in mm (spacing from the header). Dice of a class
absent from both volumes is undefined (null), a distance to an empty mask infinite ("inf"); means
over cases skip both, with n counting the cases with a finite distance and n_inf the infinite
ones (n_dice: cases where Dice is defined). pooled_dice sums voxels over all cases (TransSeg).
Each scoring thread reads its next pair while it scores one (the gzip inflation runs on libuv's
thread pool, on another core); large evaluations add worker threads scoring pairs in parallel,
up to one per core. The results do not depend on the number of threads.

Options:
  --pred <file|dir>   predicted labels (.nii / .nii.gz)
  --gt <file|dir>     ground-truth labels, same shape and affine
  --classes <list>    classes to score (default: every label present in either volume except 0)
  --json <file>       write {"cases":[…],"mean":{…},"pooled_dice":{…}}
  --csv <file>        write one row per case and class
  --threads <n>       scoring threads, this one included (default: one, plus a worker thread per
                      2^28 voxels of prediction, up to one per core; 1 = no worker thread)
  --max-voxels <n>    refuse volumes whose header claims more voxels (default 2147483648 = 2^31)`,
  options: { pred: { type: "string" }, gt: { type: "string" }, classes: { type: "string" }, json: { type: "string" }, csv: { type: "string" }, threads: { type: "string" }, ...MAX_VOXELS_OPTION },
  async run(args, io) {
    const pairs = pairFiles(requiredOpt(args, "pred"), requiredOpt(args, "gt"));
    const maxVoxels = maxVoxelsOpt(args);
    const classesOpt = stringOpt(args, "classes");
    const fixedClasses = classesOpt === undefined ? undefined : parseNumberList(classesOpt, "classes");
    const threads = intOpt(args, "threads", undefined);
    // The first pair is read (its gzip inflation on libuv's pool) while the scoring code loads.
    const firstRead = readPair(pairs[0]!, { maxVoxels, ...(fixedClasses ? { classes: fixedClasses } : {}) });
    firstRead.catch(() => {}); // reported by evaluatePairs, in the first pair's turn
    const [{ evaluatePairs }, { aggregate, METRIC_NAMES, toJsonValue }, { writeFailure }] = await Promise.all([
      import("./eval-cases.js"),
      import("@transseg/metrics"),
      import("@transseg/weights/messages"),
    ]);
    /** Just the metrics of a class (no voxel counts), in report order. */
    const metricValues = (m: Readonly<Record<MetricName, number>>) => Object.fromEntries(METRIC_NAMES.map((k) => [k, m[k]])) as Record<MetricName, number>;
    const evaluated = await evaluatePairs(pairs, { maxVoxels, firstRead, ...(fixedClasses ? { classes: fixedClasses } : {}), ...(threads !== undefined ? { threads } : {}) });
    const cases: { pred: string; gt: string; metrics: CaseMetrics }[] = pairs.map((pair, i) => ({ ...pair, metrics: evaluated[i]!.metrics }));
    const allClasses = new Set<number>([...(fixedClasses ?? []), ...evaluated.flatMap((e) => e.classes)]);
    const classes = [...allClasses].sort((a, b) => a - b);
    const summary = aggregate(cases.map((c) => c.metrics), { classes });
    const mean: Record<string, Record<MetricName | "n" | "n_inf" | "n_dice", number>> = Object.fromEntries(
      Object.entries(summary.mean).map(([cls, m]) => [
        cls,
        { ...metricValues(m), n: m.n.hd95, n_inf: m.n_inf.hd95, n_dice: m.n.dice },
      ]),
    );
    const report = {
      cases: cases.map((c) => ({ pred: c.pred, gt: c.gt, classes: Object.fromEntries(Object.entries(c.metrics).map(([k, m]) => [k, metricValues(m)])) })),
      mean,
      pooled_dice: summary.pooled_dice,
    };
    const jsonPath = stringOpt(args, "json");
    if (jsonPath) writeAtomic(jsonPath, `${JSON.stringify(toJsonValue(report), null, 2)}\n`, writeFailure);
    const csvPath = stringOpt(args, "csv");
    if (csvPath) {
      const rows = [["pred", "gt", "class", ...METRIC_NAMES].join(",")];
      for (const c of cases) for (const [cls, m] of Object.entries(c.metrics)) rows.push([c.pred, c.gt, cls, ...METRIC_NAMES.map((n) => { const v = toJsonValue(m[n]); return v === null ? "" : String(v); })].join(","));
      writeAtomic(csvPath, `${rows.join("\n")}\n`, writeFailure);
    }
    const head = ["case", "class", ...METRIC_NAMES];
    const lines = [head.join("\t")];
    for (const c of cases) for (const [cls, m] of Object.entries(c.metrics)) lines.push([basename(c.pred), cls, ...METRIC_NAMES.map((n) => fmt(m[n]))].join("\t"));
    for (const [cls, m] of Object.entries(mean)) lines.push(["mean", cls, ...METRIC_NAMES.map((n) => fmt(m[n]))].join("\t"));
    for (const [cls, d] of Object.entries(summary.pooled_dice)) lines.push(["pooled", cls, fmt(d)].join("\t"));
    io.stdout(`${lines.join("\n")}\n`);
  },
} as const satisfies Command;
