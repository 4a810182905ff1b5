import { acdc } from "./acdc.js";
import { btcv } from "./btcv.js";
import { task01BrainTumour } from "./task01-brain-tumour.js";
import { task02Heart } from "./task02-heart.js";
import { task03Liver } from "./task03-liver.js";
import { task04Hippocampus } from "./task04-hippocampus.js";
import { task05Prostate } from "./task05-prostate.js";
import { task06Lung } from "./task06-lung.js";
import { task07Pancreas } from "./task07-pancreas.js";
import { task08HepaticVessel } from "./task08-hepatic-vessel.js";
import { task09Spleen } from "./task09-spleen.js";
import { task10Colon } from "./task10-colon.js";
import type { TaskProfile } from "./types.js";

/** Task profiles by id. Pass your own map (e.g. `{ ...builtinProfiles, MyTask: myTask }`) to extend. */
export type ProfileRegistry = Readonly<Record<string, TaskProfile>>;

/** The 12 tasks of the paper (SPEC §4), keyed by id. */
export const builtinProfiles = Object.freeze({
  [btcv.id]: btcv,
  [acdc.id]: acdc,
  [task01BrainTumour.id]: task01BrainTumour,
  [task02Heart.id]: task02Heart,
  [task03Liver.id]: task03Liver,
  [task04Hippocampus.id]: task04Hippocampus,
  [task05Prostate.id]: task05Prostate,
  [task06Lung.id]: task06Lung,
  [task07Pancreas.id]: task07Pancreas,
  [task08HepaticVessel.id]: task08HepaticVessel,
  [task09Spleen.id]: task09Spleen,
  [task10Colon.id]: task10Colon,
}) satisfies ProfileRegistry;
