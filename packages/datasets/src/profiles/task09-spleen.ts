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
  // Upper-abdominal anatomy: liver on the right (≈ +70 HU), spleen left posterior (≈ +50 HU,
  // about 1.5 % of the volume, as at this field of view), contrast-filled aorta left of midline
  // in front of the spine; body tissue ≈ −50 HU.
  phantom: [
    { label: 0, kind: "organ", size: 1.6, intensity: 0.58, at: [0.4, 0.15] },
    { label: 1, kind: "organ", size: 1.3, intensity: 0.53, at: [-0.5, -0.3] },
    { label: 0, kind: "tube", size: 1.0, intensity: 0.92, at: [-0.1, -0.35] },
  ],
} as const satisfies TaskProfile;
