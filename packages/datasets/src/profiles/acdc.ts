import type { TaskProfile } from "./types.js";

/** Automated Cardiac Diagnosis Challenge: cine MRI, ventricles and myocardium. */
export const acdc = {
  id: "ACDC",
  description: "Automated Cardiac Diagnosis Challenge cine MRI (right ventricle, myocardium, left ventricle)",
  modality: "MRI",
  channelNames: ["cine MRI"],
  channels: 1,
  labels: ["background", "right ventricle", "myocardium", "left ventricle"],
  classes: 4,
  img: [512, 512],
  clip: [-175, 250],
  paper: { steps: 25_000, dice: 92.69, diceWithoutDepth: 92.62 },
  phantom: [
    { label: 1, kind: "organ", size: 0.9, intensity: 0.85 },
    { label: 2, kind: "shell", parent: 2, size: 1.0, intensity: 0.5 },
    { label: 3, kind: "organ", size: 0.7, intensity: 0.95 },
  ],
} as const satisfies TaskProfile;
