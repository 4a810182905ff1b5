import { acdcRawLayout } from "./acdc.js";
import { btcvRawLayout } from "./btcv.js";
import type { RawLayoutRegistry } from "./types.js";

/** The raw layouts read and converted out of the box, by id. */
export const builtinRawLayouts = Object.freeze({
  [acdcRawLayout.id]: acdcRawLayout,
  [btcvRawLayout.id]: btcvRawLayout,
}) satisfies RawLayoutRegistry;
