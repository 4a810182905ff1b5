import type { TaskProfile } from "./types.js";

/** MSD Task07: portal-venous CT of the pancreas and pancreatic masses. */
export const task07Pancreas = {
  id: "Task07_Pancreas",
  description: "MSD pancreas: CT, pancreas and tumour",
  modality: "CT",
  channelNames: ["CT"],
  channels: 1,
  labels: ["background", "pancreas", "cancer"],
  classes: 3,
  img: [512, 512],
  clip: [-175, 250],
  paper: { steps: 100_000, dice: 59.94, diceWithoutDepth: 58.6 },
  phantom: [
    { label: 0, kind: "organ", size: 1.5, intensity: 0.58 },
    { label: 1, kind: "organ", size: 1.0, intensity: 0.52 },
    { label: 2, kind: "lesion", parent: 1, size: 1.5, intensity: 0.4, depthScale: 0.45 },
    // a dilated duct through the pancreas with the tumour's density
    { label: 0, kind: "tube", parent: 1, size: 1.0, intensity: 0.4 },
    { label: 0, kind: "tube", size: 1.0, intensity: 0.92 },
  ],
} as const satisfies TaskProfile;
