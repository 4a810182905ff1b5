/** Registry look-ups with "did you mean …" errors: one implementation, in @transseg/weights. */
export { resolveId, UnknownIdError, unknownIdMessage } from "@transseg/weights";
