import type { TaskProfile } from "./types.js";

/** MSD Task08: CT of liver vessels and tumours. */
export const task08HepaticVessel = {
  id: "Task08_HepaticVessel",
  description: "MSD hepatic vessel: CT, vessels and tumour",
  modality: "CT",
  channelNames: ["CT"],
  channels: 1,
  labels: ["background", "Vessel", "Tumour"],
  classes: 3,
  img: [512, 512],
  clip: [-175, 250],
  paper: { steps: 100_000, dice: 70.42, diceWithoutDepth: 67.95 },
  phantom: [
    { label: 0, kind: "organ", size: 1.8, intensity: 0.55 },
    { label: 1, kind: "tube", parent: 0, size: 1.2, intensity: 0.92, wander: 0.3 },
    { label: 1, kind: "tube", parent: 0, size: 1.0, intensity: 0.92, wander: 0.3 },
    { label: 2, kind: "lesion", parent: 0, size: 0.9, intensity: 0.36, depthScale: 0.6 },
    // an unenhanced vein through the liver with the tumour's density, running along z
    { label: 0, kind: "tube", parent: 0, size: 0.6, intensity: 0.36 },
  ],
} as const satisfies TaskProfile;
