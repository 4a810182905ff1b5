/**
 * Runs inputs of one target in this process: builds input `i` from (seed, target, i), writes its
 * files, reads it with the allocation guard armed, and classifies the outcome.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { AllocationGuard } from "./alloc-guard.js";
import { createRng } from "./rng.js";
import type { FuzzSeed, FuzzTarget } from "./target.js";

export type Outcome = "ok" | "clean" | "other";

export interface InputResult {
  readonly index: number;
  readonly outcome: Outcome;
  /** What was wrong ("other" only). */
  readonly detail?: string;
  /** How the input was made. */
  readonly note: string;
  readonly ms: number;
}

/** Messages longer than this are not "one line" any more, whatever their newlines. */
export const MAX_MESSAGE = 1000;
/** Allocations below this never count (node's own buffers, a seed's whole file). */
export const ALLOCATION_FLOOR = 4 * 2 ** 20;

export function inputFor(target: FuzzTarget, seeds: readonly FuzzSeed[], seed: string, index: number) {
  const rng = createRng(`${seed}/${target.id}/${index}`);
  return target.mutate(seeds[rng.below(seeds.length)]!, rng);
}

/** Writes an input's files into `dir` (emptied first). */
export function writeInput(dir: string, input: FuzzSeed): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of input.files) {
    const path = join(dir, f.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.bytes);
  }
  return join(dir, input.main);
}

function classify(e: unknown, target: FuzzTarget, dir: string): string | null {
  const name = String((e as { name?: unknown } | null)?.name ?? typeof e);
  const message = String((e as { message?: unknown } | null)?.message ?? e);
  if (name !== target.errorName) return `${name} (not ${target.errorName}): ${message.slice(0, 300)}`;
  if (/[\r\n]/.test(message)) return `message has several lines: ${JSON.stringify(message.slice(0, 300))}`;
  if (!message.startsWith(dir)) return `message does not start with the file: ${message.slice(0, 300)}`;
  if (message.length > MAX_MESSAGE) return `message of ${message.length} characters: ${message.slice(0, 200)}…`;
  return null;
}

/** Reads one input; never throws. */
export async function runInput(target: FuzzTarget, input: FuzzSeed & { note?: string }, index: number, dir: string, guard: AllocationGuard | null): Promise<InputResult> {
  const path = writeInput(dir, input);
  const bytes = input.files.reduce((a, f) => a + f.bytes.length, 0);
  const note = input.note ?? input.name;
  const start = performance.now();
  guard?.arm(ALLOCATION_FLOOR + target.expansion * bytes);
  let outcome: Outcome;
  let detail: string | undefined;
  try {
    const problem = await target.read(path);
    outcome = problem === null ? "ok" : "other";
    if (problem !== null) detail = `read without error but wrong: ${problem}`;
  } catch (e) {
    const problem = classify(e, target, dir);
    outcome = problem === null ? "clean" : "other";
    if (problem !== null) detail = problem;
  } finally {
    const violation = guard?.disarm() ?? null;
    if (violation) {
      outcome = "other";
      detail = `allocation far beyond the input (${bytes} bytes): ${violation}`;
    }
  }
  const ms = performance.now() - start;
  return { index, outcome: outcome!, ...(detail ? { detail } : {}), note, ms };
}
