import type { InflationStrategy } from "../strategy.js";
import { average } from "./average.js";
import { center } from "./center.js";
import { gaussian } from "./gaussian.js";
import { repeat } from "./repeat.js";

/** Built-in strategies: the paper's `center` (default) and `average`, TransSeg's `repeat`, and `gaussian` (beyond the paper). */
export const builtinStrategies = Object.freeze({
  center,
  average,
  repeat,
  gaussian,
} as const satisfies Record<string, InflationStrategy>);
