import { crossEntropyLoss } from "./cross-entropy.js";
import { diceCELoss } from "./dice-ce.js";
import { diceFocalLoss } from "./dice-focal.js";
import type { LossRegistry } from "./types.js";

/** The built-in losses by id: `dice-focal` (the paper's), `dice-ce`, `ce`. */
export const builtinLosses = Object.freeze({
  [diceFocalLoss.id]: diceFocalLoss,
  [diceCELoss.id]: diceCELoss,
  [crossEntropyLoss.id]: crossEntropyLoss,
}) satisfies LossRegistry;
