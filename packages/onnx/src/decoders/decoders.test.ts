import { describe, it } from "vitest";
import type { OnnxDecoder } from "../decoder.js";
import { checkOnnxDecoder } from "../testing/index.js";
import { convtransOnnxDecoder } from "./convtrans.js";
import { setrPupOnnxDecoder } from "./setr-pup.js";
import { unetrOnnxDecoder } from "./unetr.js";

/** The conformance check for the heads besides UPerNet (`upernet.test.ts`), on odd, non-square grids. */
const cases: [OnnxDecoder, Record<string, unknown>, Record<string, unknown>][] = [
  [setrPupOnnxDecoder, {}, { img: [48, 80] }], // 3x5, x2 to img
  [convtransOnnxDecoder, {}, { img: [24, 40], patch: 8 }], // 3x5, x16 then resized to img
  [unetrOnnxDecoder, { feature_size: 4 }, { img: [24, 40], patch: 8, window: 3, patch_depth: 1 }], // Gd 3
];

describe("ONNX decoders pass the conformance check", () => {
  for (const [decoder, options, encoder] of cases) {
    it(decoder.id, async () => {
      await checkOnnxDecoder(decoder, { encoder: { kind: "vit", dim: 16, depth: 2, heads: 2, window: 3, ...encoder, img: encoder.img as [number, number] }, decoder: { kind: decoder.id, ...options }, classes: 3 });
    });
  }
});
