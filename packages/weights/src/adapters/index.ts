import type { SourceAdapter } from "../adapter.js";
import { beitAdapter } from "./beit.js";
import { dinoAdapter } from "./dino.js";
import { hfBeitAdapter } from "./hf-beit.js";
import { hfVitAdapter } from "./hf-vit.js";
import { timmVitAdapter } from "./timm-vit.js";

/** Built-in source layouts, tried in this order by `detectLayout`. */
export const builtinAdapters = {
  "timm-vit": timmVitAdapter,
  beit: beitAdapter,
  dino: dinoAdapter,
  "hf-vit": hfVitAdapter,
  "hf-beit": hfBeitAdapter,
} as const satisfies Record<string, SourceAdapter>;
