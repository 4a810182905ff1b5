export { VolumeError } from "./errors.js";
export type { Volume, VolumeData, VolumeDatatype, VolumeHeader, VolumeInput } from "./volume.js";
export { DATATYPES, datatypeOf, type DatatypeInfo } from "./datatypes.js";
export { parseNifti, readNifti, readNiftiSync } from "./read.js";
export { writeNifti, encodeNifti, type WriteNiftiOptions } from "./write.js";
export type { EncodeNiftiOptions } from "./encode.js";
export { affineToQform, qformToAffine, affineZooms, type QformParams } from "./affine.js";
export { orientationCode } from "./orientation.js";
export { volumeStats, type VolumeStats } from "./stats.js";
