import type { TaskProfile } from "./types.js";

/** The 8 organs BTCV results are averaged over (spleen, kidneys, gallbladder, liver, stomach, aorta, pancreas). */
export const BTCV_EIGHT_ORGANS = [1, 2, 3, 4, 6, 7, 8, 11] as const;

/** Beyond the Cranial Vault abdomen CT (MICCAI 2015), 13 organs; the paper's dev set. */
export const btcv = {
  id: "BTCV",
  description: "Beyond the Cranial Vault multi-organ abdominal CT (13 organs)",
  modality: "CT",
  channelNames: ["CT"],
  channels: 1,
  labels: [
    "background",
    "spleen",
    "right kidney",
    "left kidney",
    "gallbladder",
    "esophagus",
    "liver",
    "stomach",
    "aorta",
    "inferior vena cava",
    "portal vein and splenic vein",
    "pancreas",
    "right adrenal gland",
    "left adrenal gland",
  ],
  classes: 14,
  img: [512, 512],
  clip: [-175, 250],
  paper: {
    steps: 25_000,
    dice: 87.13,
    diceWithoutDepth: 85.18,
    diceWithoutTransferAndDepth: 74.0,
    reportedLabels: BTCV_EIGHT_ORGANS,
    initialization: { random: 72.49, average: 76.33, centering: 84.3 },
  },
  phantom: [
    { label: 6, kind: "organ", size: 1.5, intensity: 0.56 },
    { label: 7, kind: "organ", size: 1.1, intensity: 0.45 },
    { label: 1, kind: "organ", size: 0.9, intensity: 0.52 },
    { label: 2, kind: "organ", size: 0.7, intensity: 0.75 },
    { label: 3, kind: "organ", size: 0.7, intensity: 0.77 },
    { label: 11, kind: "organ", size: 0.6, intensity: 0.5 },
    { label: 4, kind: "lesion", parent: 0, size: 1.0, intensity: 0.3 },
    { label: 8, kind: "tube", size: 1.0, intensity: 0.95 },
    { label: 9, kind: "tube", size: 1.0, intensity: 0.85 },
    { label: 5, kind: "tube", size: 0.7, intensity: 0.48 },
    { label: 10, kind: "tube", size: 0.6, intensity: 0.9 },
    { label: 12, kind: "organ", size: 0.35, intensity: 0.6 },
    { label: 13, kind: "organ", size: 0.35, intensity: 0.62 },
  ],
} as const satisfies TaskProfile;
