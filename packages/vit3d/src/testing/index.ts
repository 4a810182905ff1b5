export { checkDecoder, checkDeclaration, checkForward, checkGradients, checkParams, checkRoundTrip, checkSeededInit, type DecoderCheckOptions } from "./decoder-checks.js";
export { checkLoss, checkLossDeclaration, checkLossGradient, checkLossOrder, checkLossValue } from "./loss-checks.js";
export { TEST_BACKENDS, useTestBackend, type TestBackend } from "./backends.js";
export { fixture, HAVE_SHARED_FIXTURES, relativeMaxError, SHARED_FIXTURES } from "@transseg/model/testing";
