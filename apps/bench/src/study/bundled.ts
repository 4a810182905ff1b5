import { fileURLToPath } from "node:url";

/**
 * The bundled 2D pre-trained encoders (tiny BEiT, see scripts/pretrain-2d.ts), by source name:
 * `medical` (synthetic medical-like phantom slices) and `natural` (formula-driven natural-like
 * images). Each file's `__metadata__.transseg_pretrain` records its recipe.
 */
export const BUNDLED_ENCODERS = {
  medical: fileURLToPath(new URL("../../assets/beit-tiny-2d-medical.safetensors", import.meta.url)),
  natural: fileURLToPath(new URL("../../assets/beit-tiny-2d-natural.safetensors", import.meta.url)),
  /** The tiny Swin of the Swin study (`--encoder swin`), medical-like data (scripts/pretrain-2d-swin.ts). */
  "swin-medical": fileURLToPath(new URL("../../assets/swin-tiny-2d-medical.safetensors", import.meta.url)),
} as const satisfies Readonly<Record<string, string>>;

export type BundledEncoderRegistry = Readonly<Record<string, string>>;
