import type { SwinEncoderArchitecture } from "@transseg/vit3d";

/**
 * The tiny Swin of the Swin study (`transseg-bench run --encoder swin`): embed 16, depths
 * [1, 1, 2, 1], heads [1, 2, 4, 8], window 7, patch 4 (stage maps 16², 8², 4², 2² at 64×64),
 * no drop path — the bundled 2D Swin (`swin-medical`) has it, and the random-init variant uses it.
 */
export const TINY_SWIN = { kind: "swin", embed_dim: 16, depths: [1, 1, 2, 1], heads: [1, 2, 4, 8], window_size: [7, 7], patch: 4, mlp_ratio: 4, drop_path: 0 } as const satisfies SwinEncoderArchitecture;

/** `--encoder <family>` → the budget the study runs: `beit` leaves it, `swin` takes the budget's Swin version. */
export function budgetForEncoder(budget: string, encoder: string | undefined): string {
  if (encoder === undefined || encoder === "beit") return budget;
  if (encoder !== "swin") throw new Error(`--encoder must be beit or swin (got "${encoder}")`);
  if (budget.endsWith("-swin")) return budget;
  if (budget !== "quick") throw new Error(`--encoder swin: budget "${budget}" has no Swin version (quick has: quick-swin)`);
  return "quick-swin";
}
