import type { SourceAdapter } from "../adapter.js";
import { beitAdapter } from "./beit.js";
import { dinoAdapter } from "./dino.js";
import { hfBeitAdapter } from "./hf-beit.js";
import { hfSwinAdapter } from "./hf-swin.js";
import { hfVitAdapter } from "./hf-vit.js";
import { msSwinAdapter } from "./ms-swin.js";
import { timmSwinAdapter } from "./timm-swin.js";
import { timmVitAdapter } from "./timm-vit.js";
import { torchvisionSwinAdapter } from "./torchvision-swin.js";
import { videoSwinAdapter } from "./video-swin.js";

/** Built-in source layouts, tried in this order by `detectLayout`. */
export const builtinAdapters = {
  "timm-vit": timmVitAdapter,
  beit: beitAdapter,
  dino: dinoAdapter,
  "hf-vit": hfVitAdapter,
  "hf-beit": hfBeitAdapter,
  "ms-swin": msSwinAdapter,
  "timm-swin": timmSwinAdapter,
  "hf-swin": hfSwinAdapter,
  "torchvision-swin": torchvisionSwinAdapter,
  "video-swin": videoSwinAdapter,
} as const satisfies Record<string, SourceAdapter>;
