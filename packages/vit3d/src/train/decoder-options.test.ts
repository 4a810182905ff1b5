import { describe, expect, it } from "vitest";
import { builtinDecoders } from "../decoders/registry.js";
import type { Decoder } from "../decoders/decoder.js";
import { checkRunDecoder } from "./decoder-options.js";
import { resolveTrainOptions } from "./options.js";

const profile = { id: "Task09_Spleen", img: [64, 64] as const, paper: { steps: 25_000 } };
const base = { data: "data", out: "run" };

describe("a run's decoder is checked before anything runs", () => {
  it("defaults: upernet, patch depth = window; resolved into run.json's options", () => {
    expect(resolveTrainOptions(base, profile)).toMatchObject({ decoder: "upernet", patchDepth: 5, featureSize: null });
    expect(resolveTrainOptions({ ...base, decoder: "unetr", window: 9, patchDepth: 3, featureSize: 8, layerIdxs: [0, 1, 2, 3] }, profile)).toMatchObject({ decoder: "unetr", patchDepth: 3, featureSize: 8, layerIdxs: [0, 1, 2, 3] });
  });

  it("unetr needs depth tokens", () => {
    expect(() => resolveTrainOptions({ ...base, decoder: "unetr" }, profile)).toThrow('train: decoder "unetr" needs depth tokens (Gd > 1) but patchDepth 5 = window 5 gives one depth token (Gd = 1); give patchDepth 1 (a divisor of the window 5 below it), or window 9 with patchDepth 3, or use decoder "upernet"');
    expect(() => resolveTrainOptions({ ...base, decoder: "unetr", variant: "2d" }, profile)).toThrow(/the 2d variant has one depth token; use the 3d variant/);
    expect(checkRunDecoder({ decoder: "unetr", variant: "3d", window: 5, patchDepth: 1, given: {} }).patchDepth).toBe(1);
  });

  it("options that do not apply to the head, bad patch depths, unknown ids", () => {
    expect(() => resolveTrainOptions({ ...base, decoder: "setr-pup", dropout: 0.2 }, profile)).toThrow('train: dropout does not apply to decoder "setr-pup" (its options: none)');
    expect(() => resolveTrainOptions({ ...base, decoder: "convtrans", layerIdxs: [1] }, profile)).toThrow("train: layerIdxs does not apply");
    expect(() => resolveTrainOptions({ ...base, featureSize: 4 }, profile)).toThrow('train: featureSize does not apply to decoder "upernet" (its options: channels, layer_idxs, pool_scales, dropout)');
    expect(() => resolveTrainOptions({ ...base, decoder: "unetr", window: 9, patchDepth: 3, decoderChannels: 8 }, profile)).toThrow("train: decoderChannels does not apply");
    expect(() => resolveTrainOptions({ ...base, patchDepth: 2 }, profile)).toThrow("train: patchDepth must divide the window 5 (got 2; valid: 1, 5)");
    expect(() => resolveTrainOptions({ ...base, variant: "2d", patchDepth: 1 }, profile)).toThrow("train: patchDepth applies to the 3d variant");
    expect(() => resolveTrainOptions({ ...base, decoder: "setrpup" }, profile)).toThrow(/unknown decoder "setrpup".*did you mean "setr-pup"/);
  });

  it("a head from the caller's registry; one that declares no options takes them all", () => {
    const mine: Decoder = { ...builtinDecoders["setr-pup"], id: "mine", options: undefined };
    expect(() => resolveTrainOptions({ ...base, decoder: "mine" }, profile)).toThrow(/unknown decoder "mine"/);
    expect(resolveTrainOptions({ ...base, decoder: "mine", dropout: 0.3 }, profile, { ...builtinDecoders, mine }).decoder).toBe("mine");
  });
});
