import type { TaskProfile } from "./types.js";

/** MSD Task05: multimodal MRI (T2, ADC) of the prostate zones. */
export const task05Prostate = {
  id: "Task05_Prostate",
  description: "MSD prostate: 2-channel MRI (T2, ADC), peripheral and transition zones",
  modality: "MRI",
  channelNames: ["T2", "ADC"],
  channels: 2,
  labels: ["background", "PZ", "TZ"],
  classes: 3,
  img: [320, 320],
  clip: [0, 2152],
  paper: { steps: 25_000, dice: 75.2, diceWithoutDepth: 74.29 },
  phantom: [
    { label: 1, kind: "shell", parent: 1, size: 1.2, intensity: 0.7 },
    { label: 2, kind: "organ", size: 1.0, intensity: 0.4 },
  ],
} as const satisfies TaskProfile;
