import { ConfigError, type EncoderConfig } from "../config.js";
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

/**
 * Refuses an in-plane token grid below `[minH, minW]` (or, with `minTokens`, one with fewer
 * tokens) when the model is built, naming the smallest img that works for the patch:
 * `decoder "upernet" needs a token grid of at least 2x2 (…); the smallest img that works is 32x80`.
 */
export function requireGrid(encoder: EncoderConfig, decoder: string, min: readonly [number, number], why: string, minTokens = 1): void {
  const p = encoder.patch;
  const [gh, gw] = [encoder.img[0] / p, encoder.img[1] / p];
  let [h, w] = [Math.max(gh, min[0]), Math.max(gw, min[1])];
  if (h === gh && w === gw && gh * gw >= minTokens) return;
  if (h * w < minTokens) w = Math.ceil(minTokens / h);
  const need = minTokens > min[0] * min[1] ? `at least ${minTokens} tokens` : `a token grid of at least ${min[0]}x${min[1]}`;
  throw new ConfigError(`decoder "${decoder}" needs ${need}, but img ${encoder.img.join("x")} with patch ${p} gives ${gh}x${gw} (${why}); the smallest img that works is ${h * p}x${w * p}`);
}
