import { ConfigError } from "../config.js";
/** Small validators for decoder option fields. */
export function intList(v: unknown, what: string, fallback: readonly number[]): number[] {
  if (v === undefined) return [...fallback];
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x) && x >= 0)) throw new ConfigError(`${what} must be a list of non-negative integers (got ${JSON.stringify(v)})`);
  return v as number[];
}

export function positiveInt(v: unknown, what: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw new ConfigError(`${what} must be a positive integer (got ${JSON.stringify(v)})`);
  return v;
}

export function probability(v: unknown, what: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !(v >= 0 && v < 1)) throw new ConfigError(`${what} must be a number in [0, 1) (got ${JSON.stringify(v)})`);
  return v;
}
