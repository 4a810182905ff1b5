import type { TaskProfile } from "./types.js";

/** MSD Task09: portal-venous CT of the spleen. */
export const task09Spleen = {
  id: "Task09_Spleen",
  description: "MSD spleen: CT, spleen",
  modality: "CT",
  channelNames: ["CT"],
  channels: 1,
  labels: ["background", "spleen"],
  classes: 2,
  img: [512, 512],
  clip: [-175, 250],
  paper: { steps: 25_000, dice: 95.56, diceWithoutDepth: 95.12 },
  phantom: [
    { label: 0, kind: "organ", size: 1.6, intensity: 0.58 },
    { label: 1, kind: "organ", size: 1.0, intensity: 0.53 },
    { label: 0, kind: "tube", size: 1.0, intensity: 0.92 },
  ],
} as const satisfies TaskProfile;
