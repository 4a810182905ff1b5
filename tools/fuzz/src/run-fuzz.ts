/**
 * Runs the fuzzer: a child process works through each target's inputs while this process
 * watches it. An input that yields no result within `timeoutMs` (a hang) or that kills the
 * child (a crash, an out-of-memory abort) is counted under "anything else", and the child is
 * restarted after it.
 */
import { fork } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildJob, ChildMessage } from "./protocol.js";
import type { InputResult } from "./run-inputs.js";
import { builtinTargets } from "./targets/index.js";

export interface FuzzOptions {
  /** Inputs per target (default 20,000). */
  readonly budget?: number;
  /** Seed of every input (default "1"). */
  readonly seed?: string;
  /** Target ids (default: all). */
  readonly targets?: readonly string[];
  /** First input index (default 0): `--from 1234 --budget 1` replays one input. */
  readonly from?: number;
  /** An input with no result after this long is a hang (default 10 s). */
  readonly timeoutMs?: number;
  /** Copy the files of every input counted under "anything else" here. */
  readonly saveDir?: string;
  /** V8 heap limit of the child in MB (default 1024): a blow-up crashes it and is counted. */
  readonly maxOldSpaceMb?: number;
  readonly onProgress?: (target: string, done: number, total: number) => void;
}

export interface TargetReport {
  readonly target: string;
  readonly tried: number;
  readonly ok: number;
  readonly clean: number;
  /** Anything else: a foreign error, a multi-line or anonymous message, a wrong result, an oversized allocation, a hang, a crash. */
  readonly other: number;
  readonly examples: readonly InputResult[];
  readonly seeds: number;
  readonly seedProblems: readonly string[];
  readonly slowestMs: number;
  /** Inputs whose child hung or died, but that gave a result when run again alone in a fresh process (counted by that result). */
  readonly retried: readonly string[];
}

const CHILD = fileURLToPath(new URL(import.meta.url.endsWith(".ts") ? "./child.ts" : "./child.js", import.meta.url));
const REPO = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
const MAX_EXAMPLES = 20;

export async function runFuzz(options: FuzzOptions = {}): Promise<TargetReport[]> {
  const budget = options.budget ?? 20_000;
  const seed = options.seed ?? "1";
  const from = options.from ?? 0;
  const ids = options.targets?.length ? options.targets : Object.keys(builtinTargets);
  for (const id of ids) if (!Object.hasOwn(builtinTargets, id)) throw new Error(`unknown fuzz target "${id}" (known: ${Object.keys(builtinTargets).join(", ")})`);
  const reports = new Map(ids.map((id) => [id, { target: id, tried: 0, ok: 0, clean: 0, other: 0, examples: [] as InputResult[], seeds: 0, seedProblems: [] as string[], slowestMs: 0, retried: [] as string[] }]));
  const dir = mkdtempSync(join(tmpdir(), "transseg-fuzz-"));
  const next = new Map(ids.map((id) => [id, from]));
  const record = (target: string, r: InputResult) => {
    const rep = reports.get(target)!;
    rep.tried++;
    rep[r.outcome]++;
    rep.slowestMs = Math.max(rep.slowestMs, r.ms);
    if (r.outcome === "other" && rep.examples.length < MAX_EXAMPLES) rep.examples.push(r);
    next.set(target, r.index + 1);
    options.onProgress?.(target, rep.tried, budget);
  };
  try {
    for (;;) {
      const parts = ids.filter((id) => next.get(id)! < from + budget).map((id) => ({ target: id, from: next.get(id)!, to: from + budget }));
      if (!parts.length) break;
      const job: ChildJob = { parts, seed, dir, ...(options.saveDir ? { saveDir: options.saveDir } : {}) };
      const failure = await runChild(job, options, (m) => {
        if (m.type === "seeds") Object.assign(reports.get(m.target)!, { seeds: m.count, seedProblems: m.problems });
        else record(m.target, m.result);
      });
      if (failure) {
        // the input after the last result of the first unfinished part is the culprit
        const part = parts.find((p) => next.get(p.target)! < p.to)!;
        const index = next.get(part.target)!;
        // confirmed alone in a fresh process: a child that has run thousands of inputs on a busy
        // machine can stall (GC near its heap limit, CPU starvation) on an input that is fine
        let retried: InputResult | null = null;
        const again = await runChild({ parts: [{ target: part.target, from: index, to: index + 1 }], seed, dir }, options, (m) => {
          if (m.type === "result") retried = m.result;
        });
        if (again === null && retried !== null) {
          record(part.target, retried);
          reports.get(part.target)!.retried.push(`input ${index}: ${failure} in the long-running child; alone in a fresh one: ${(retried as InputResult).outcome} in ${(retried as InputResult).ms.toFixed(0)} ms`);
          continue;
        }
        record(part.target, { index, outcome: "other", detail: `${failure} (again alone in a fresh process: ${again ?? "a result"})`, note: `input ${index} (replay: --target ${part.target} --from ${index} --budget 1)`, ms: 0 });
        if (options.saveDir) cpSync(join(dir, part.target), join(options.saveDir, part.target, String(index)), { recursive: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [...reports.values()];
}

/** Runs one child to the end; resolves to null, or to what went wrong (hang, crash). */
function runChild(job: ChildJob, options: FuzzOptions, onMessage: (m: ChildMessage) => void): Promise<string | null> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  mkdirSync(job.dir, { recursive: true });
  const execArgv = [...(CHILD.endsWith(".ts") ? ["--import", "tsx", "--conditions=source"] : []), `--max-old-space-size=${options.maxOldSpaceMb ?? 1024}`];
  const child = fork(CHILD, [JSON.stringify(job)], { cwd: REPO, execArgv, stdio: ["ignore", "ignore", "pipe", "ipc"] });
  let stderr = "";
  child.stderr!.on("data", (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
  return new Promise((resolvePromise) => {
    let hung = false;
    let timer = setTimeout(onTimeout, timeoutMs * 3); // start-up: imports and seeds
    function onTimeout() {
      hung = true;
      child.kill("SIGKILL");
    }
    child.on("message", (m: ChildMessage) => {
      clearTimeout(timer);
      timer = setTimeout(onTimeout, timeoutMs);
      onMessage(m);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (hung) resolvePromise(`hang: no result within ${timeoutMs / 1000} s`);
      else if (code === 0 && signal === null) resolvePromise(null);
      else resolvePromise(`crash: the reader's process died (${signal ?? `exit code ${code}`}): ${stderr.trim().split("\n").slice(-3).join(" | ").slice(0, 400)}`);
    });
  });
}

/** The counts as a table: reader, tried, read ok, clean errors, anything else, slowest input. */
export function formatReports(reports: readonly TargetReport[]): string {
  const head = ["reader", "tried", "read ok", "clean errors", "anything else", "slowest"];
  const rows = reports.map((r) => [r.target, String(r.tried), String(r.ok), String(r.clean), String(r.other), `${r.slowestMs.toFixed(0)} ms`]);
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join("  ");
  const out = [line(head), ...rows.map(line)];
  for (const r of reports) {
    for (const p of r.seedProblems) out.push(`${r.target}: ${p}`);
    for (const p of r.retried) out.push(`${r.target}: retried ${p}`);
    for (const e of r.examples) out.push(`${r.target} #${e.index}: ${e.detail}\n    made by: ${e.note}`);
  }
  return `${out.join("\n")}\n`;
}
