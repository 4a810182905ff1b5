import { unknownChoice, UsageError } from "./errors.js";
import type { ParsedArgs } from "./command.js";

export function stringOpt(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  if (v === undefined || typeof v === "boolean") return undefined;
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function requiredOpt(args: ParsedArgs, name: string): string {
  const v = stringOpt(args, name);
  if (v === undefined || v === "") throw new UsageError(`missing --${name}`);
  return v;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** An integer option with bounds; `undefined` when absent and no default. */
export function intOpt(args: ParsedArgs, name: string, fallback: number, min?: number): number;
export function intOpt(args: ParsedArgs, name: string, fallback: undefined, min?: number): number | undefined;
export function intOpt(args: ParsedArgs, name: string, fallback: number | undefined, min = 1): number | undefined {
  const v = stringOpt(args, name);
  if (v === undefined) return fallback;
  if (!/^-?\d+$/.test(v) || Number(v) < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${v}"`);
  return Number(v);
}

export function numberOpt(args: ParsedArgs, name: string, fallback: number): number {
  const v = stringOpt(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${v}"`);
  return n;
}

/** `HxW` (or a single `N` for N×N) into [H, W]. */
export function parseSize(text: string, name = "img"): [number, number] {
  const m = /^(\d+)(?:x(\d+))?$/.exec(text);
  if (!m) throw new UsageError(`--${name} must look like 512x512 (HxW), got "${text}"`);
  const h = Number(m[1]);
  const w = Number(m[2] ?? m[1]);
  if (h < 1 || w < 1) throw new UsageError(`--${name} must be positive, got "${text}"`);
  return [h, w];
}

/** A comma-separated list of numbers, e.g. `--clip -175,250`. */
export function parseNumberList(text: string, name: string, count?: number): number[] {
  const parts = text.split(",").map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.some((p) => p === "") || nums.some((n) => !Number.isFinite(n)) || (count !== undefined && nums.length !== count)) {
    throw new UsageError(`--${name} must be ${count ?? "a list of"} comma-separated numbers, got "${text}"`);
  }
  return nums;
}

export function requiredPositional(args: ParsedArgs, index: number, what: string): string {
  const v = args.positionals[index];
  if (v === undefined) throw new UsageError(`missing <${what}>`);
  return v;
}

/** Repeatable `--name key=value` options into an object; numeric values become numbers. */
export function parseKeyValues(args: ParsedArgs, name: string): Record<string, string | number> {
  const raw = args.values[name];
  const list = raw === undefined || typeof raw === "boolean" ? [] : Array.isArray(raw) ? raw : [raw];
  const out: Record<string, string | number> = {};
  for (const item of list) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`--${name} must look like key=value, got "${item}"`);
    const value = item.slice(eq + 1);
    out[item.slice(0, eq)] = value !== "" && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return out;
}

/** A required option whose value must be one of `valid` (else "did you mean …", exit 2). */
export function choiceOpt<T extends string>(args: ParsedArgs, name: string, what: string, valid: readonly T[]): T {
  const v = requiredOpt(args, name);
  if (!(valid as readonly string[]).includes(v)) throw unknownChoice(what, v, valid);
  return v as T;
}

/** `--max-voxels <n>`: the largest volume a NIfTI reader accepts (default 2^31 voxels, channels included). */
export function maxVoxelsOpt(args: ParsedArgs): number {
  const v = stringOpt(args, "max-voxels");
  if (v === undefined) return 2 ** 31;
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < 1) throw new UsageError(`--max-voxels must be a positive integer, got "${v}"`);
  return Number(v);
}

/** The option spec of `--max-voxels`, shared by the commands that read volumes. */
export const MAX_VOXELS_OPTION = { "max-voxels": { type: "string" } } as const;
