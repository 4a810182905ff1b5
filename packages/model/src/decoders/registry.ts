import { convtransSpec } from "./convtrans.js";
import { setrPupSpec } from "./setr-pup.js";
import type { DecoderSpec } from "./spec.js";
import { unetrSpec } from "./unetr.js";
import { upernetSpec } from "./upernet.js";
import { upernetSwintSpec } from "./upernet-swint.js";

/** The built-in heads' engine-free specs (options, validation, tensors), keyed by decoder kind. */
export const builtinDecoderSpecs = Object.freeze({
  upernet: upernetSpec,
  "setr-pup": setrPupSpec,
  convtrans: convtransSpec,
  unetr: unetrSpec,
  "upernet-swint": upernetSwintSpec,
}) satisfies Readonly<Record<string, DecoderSpec>>;
