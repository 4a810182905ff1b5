import type { SwinEncoderConfigInput } from "./config.js";

/** A Swin size preset: the architecture fields of a Swin encoder section (img / window are the user's). */
export interface SwinPreset {
  readonly id: string;
  readonly description: string;
  readonly encoder: Pick<SwinEncoderConfigInput, "kind" | "embed_dim" | "depths" | "heads" | "window_size" | "patch" | "patch_depth" | "mlp_ratio" | "drop_path">;
}

const SIZES = {
  tiny: { embed_dim: 96, depths: [2, 2, 6, 2], heads: [3, 6, 12, 24] },
  small: { embed_dim: 96, depths: [2, 2, 18, 2], heads: [3, 6, 12, 24] },
  base: { embed_dim: 128, depths: [2, 2, 18, 2], heads: [4, 8, 16, 32] },
} as const;

function swin(size: keyof typeof SIZES, dropPath: number): SwinPreset {
  const s = SIZES[size];
  return {
    id: `swin-${size}`,
    description: `Swin-${size[0]!.toUpperCase()} (embed ${s.embed_dim}, depths [${s.depths.join(", ")}], heads [${s.heads.join(", ")}], window 7, patch 4, drop path ${dropPath})`,
    encoder: { kind: "swin", ...s, window_size: 7, patch: 4, mlp_ratio: 4, drop_path: dropPath },
  };
}

function swin3d(size: keyof typeof SIZES, dropPath: number): SwinPreset {
  const s = SIZES[size];
  return {
    id: `swin3d-${size}`,
    description: `Video Swin-${size[0]!.toUpperCase()} (embed ${s.embed_dim}, depths [${s.depths.join(", ")}], heads [${s.heads.join(", ")}], window (8, 7, 7), patch (2, 4, 4), drop path ${dropPath})`,
    encoder: { kind: "swin3d", ...s, window_size: [8, 7, 7], patch: 4, patch_depth: 2, mlp_ratio: 4, drop_path: dropPath },
  };
}

/**
 * Standard Swin and Video Swin sizes. `swin-base` is TransSeg's `swint` (drop path 0.3, as its
 * `model.py`; Microsoft trains Swin-B with 0.5), `swin3d-base` TransSeg's `swint3d` (drop path 0.2).
 * Tiny / small use Microsoft's (0.2, 0.3) and Video Swin's (0.1, 0.2) rates.
 */
export const swinPresets = Object.freeze({
  "swin-tiny": swin("tiny", 0.2),
  "swin-small": swin("small", 0.3),
  "swin-base": swin("base", 0.3),
  "swin3d-tiny": swin3d("tiny", 0.1),
  "swin3d-small": swin3d("small", 0.2),
  "swin3d-base": swin3d("base", 0.2),
}) satisfies Readonly<Record<string, SwinPreset>>;
