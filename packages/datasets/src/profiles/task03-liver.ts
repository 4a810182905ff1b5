import type { TaskProfile } from "./types.js";

/** MSD Task03: portal-venous CT of the liver and liver tumours. */
export const task03Liver = {
  id: "Task03_Liver",
  description: "MSD liver: CT, liver and tumours",
  modality: "CT",
  channelNames: ["CT"],
  channels: 1,
  labels: ["background", "liver", "cancer"],
  classes: 3,
  img: [512, 512],
  clip: [-175, 250],
  paper: { steps: 25_000, dice: 87.67, diceWithoutDepth: 87.24 },
  phantom: [
    { label: 1, kind: "organ", size: 1.7, intensity: 0.58 },
    { label: 2, kind: "lesion", parent: 0, size: 1.0, intensity: 0.38 },
    { label: 0, kind: "organ", size: 0.8, intensity: 0.5 },
  ],
} as const satisfies TaskProfile;
