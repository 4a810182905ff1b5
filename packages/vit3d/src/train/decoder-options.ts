import { ConfigError, resolveId } from "@transseg/model";
import type { Decoder } from "../decoders/decoder.js";
import { builtinDecoders } from "../decoders/registry.js";

/** The `TrainOptions` fields that are decoder options, and the decoder-section key each one sets. */
export const DECODER_TRAIN_OPTIONS = Object.freeze({ decoderChannels: "channels", layerIdxs: "layer_idxs", dropout: "dropout", featureSize: "feature_size" });
export type DecoderTrainOption = keyof typeof DECODER_TRAIN_OPTIONS;

export interface RunDecoderInput {
  readonly decoder?: string;
  readonly variant: "3d" | "2d";
  readonly window: number;
  readonly patchDepth?: number;
  readonly given: Partial<Record<DecoderTrainOption, unknown>>;
}

/**
 * The decoder of a run, checked before anything is read or trained: a known id (else "did you
 * mean …"), options that apply to it (`Decoder.options`), a patch depth that divides the window
 * (3d variant only), and depth tokens (Gd = window / patch depth > 1) for a volumetric head such
 * as `unetr`. Returns the resolved patch depth (the window for the 2d variant's record).
 */
export function checkRunDecoder(input: RunDecoderInput, decoders: Readonly<Record<string, Decoder>> = builtinDecoders): { decoder: Decoder; patchDepth: number } {
  const decoder = resolveId("decoder", input.decoder ?? "upernet", decoders);
  const accepted = decoder.options;
  if (accepted) {
    for (const [field, key] of Object.entries(DECODER_TRAIN_OPTIONS)) {
      if (input.given[field as DecoderTrainOption] !== undefined && !accepted.includes(key)) {
        throw new ConfigError(`train: ${field} does not apply to decoder "${decoder.id}" (its options: ${accepted.length ? accepted.join(", ") : "none"})`);
      }
    }
  }
  const { window, variant } = input;
  if (input.patchDepth !== undefined && variant === "2d") throw new ConfigError('train: patchDepth applies to the 3d variant (the 2d variant, "w/o D", has patch depth 1)');
  const patchDepth = input.patchDepth ?? window;
  if (!Number.isInteger(patchDepth) || patchDepth < 1 || window % patchDepth !== 0) {
    const valid = Array.from({ length: window }, (_, i) => i + 1).filter((k) => window % k === 0);
    throw new ConfigError(`train: patchDepth must divide the window ${window} (got ${JSON.stringify(input.patchDepth)}; valid: ${valid.join(", ")})`);
  }
  const gd = variant === "2d" ? 1 : window / patchDepth;
  if (decoder.volumetric && gd === 1) {
    const why = variant === "2d" ? "the 2d variant has one depth token" : `patchDepth ${patchDepth} = window ${window} gives one depth token (Gd = 1)`;
    const below = Array.from({ length: window - 1 }, (_, i) => i + 1).filter((k) => window % k === 0);
    const fix = variant === "2d" ? "use the 3d variant with a patchDepth below the window" : `give patchDepth ${below.join(" or ")} (a divisor of the window ${window} below it), or window 9 with patchDepth 3`;
    throw new ConfigError(`train: decoder "${decoder.id}" needs depth tokens (Gd > 1) but ${why}; ${fix}, or use decoder "upernet"`);
  }
  return { decoder, patchDepth };
}
