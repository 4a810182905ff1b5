import { UnknownIdError } from "@transseg/weights";
import type { InflationStrategy } from "./strategy.js";
import { builtinStrategies } from "./strategies/index.js";

/** A strategy registry: a plain immutable map id -> strategy. */
export type StrategyRegistry = Readonly<Record<string, InflationStrategy>>;

/** Looks a strategy up by id; unknown ids fail with "did you mean …" and the full list. */
export function resolveStrategy(id: string, strategies: StrategyRegistry = builtinStrategies): InflationStrategy {
  const s = Object.hasOwn(strategies, id) ? strategies[id] : undefined;
  if (!s) throw new UnknownIdError("inflation strategy", id, Object.keys(strategies));
  if (s.id !== id) throw new Error(`inflation strategy registered as "${id}" declares id "${s.id}": register it under its own id`);
  return s;
}

/** Resolves a strategy's options for depth K; a strategy without options rejects any given. */
export function resolveStrategyOptions(strategy: InflationStrategy, options: Readonly<Record<string, unknown>> | undefined, depth: number): object {
  if (strategy.resolveOptions) return strategy.resolveOptions(options, depth);
  const keys = Object.keys(options ?? {});
  if (keys.length) throw new Error(`inflation strategy "${strategy.id}" takes no options, got ${keys.map((k) => `"${k}"`).join(", ")}`);
  return {};
}
