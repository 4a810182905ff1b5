import type { TaskProfile } from "./types.js";

/** MSD Task06: CT of non-small-cell lung tumours. */
export const task06Lung = {
  id: "Task06_Lung",
  description: "MSD lung: CT, lung tumours",
  modality: "CT",
  channelNames: ["CT"],
  channels: 1,
  labels: ["background", "cancer"],
  classes: 2,
  img: [512, 512],
  clip: [-175, 250],
  paper: { steps: 25_000, dice: 70.2, diceWithoutDepth: 62.01 },
  phantom: [
    { label: 0, kind: "organ", size: 1.6, intensity: -1.5 },
    { label: 0, kind: "organ", size: 1.6, intensity: -1.5 },
    { label: 1, kind: "lesion", parent: 0, size: 1.2, intensity: 0.5, depthScale: 0.45 },
    { label: 0, kind: "tube", size: 1.0, intensity: 0.9 },
    // vessels in both lungs with the tumour's density and cross-section: only depth tells them apart
    { label: 0, kind: "tube", parent: 0, size: 1.1, intensity: 0.5, count: 3 },
    { label: 0, kind: "tube", parent: 1, size: 1.1, intensity: 0.5, count: 2 },
  ],
} as const satisfies TaskProfile;
