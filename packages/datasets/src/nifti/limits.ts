import { datatypeByCode, datatypeCodeName, WIDE_INTEGER_CODES } from "./datatypes.js";
import { VolumeError } from "./errors.js";
import type { NiftiHeaderFields } from "./header.js";

/** Options of `readNifti`, `readNiftiSync` and `parseNifti`. */
export interface NiftiReadOptions {
  /**
   * Largest number of voxels accepted (all dims multiplied, channels included; default 2^31).
   * A header claiming more is refused before any voxel memory is taken (CLI: `--max-voxels`).
   */
  readonly maxVoxels?: number;
}

export const DEFAULT_MAX_VOXELS = 2 ** 31;

/** What a header promises: the stored shape, voxel count and bytes per voxel. */
export interface VolumePlan {
  readonly shape: number[];
  readonly count: number;
  readonly bytesPer: number;
  /** `vox_offset` + the voxel bytes: how long the (uncompressed) file must be. */
  readonly bytesNeeded: number;
}

/**
 * Checks a parsed header's datatype and size before anything is allocated for it: unsupported
 * datatypes and more than `maxVoxels` voxels are refused with a VolumeError naming `file`.
 */
export function planVolume(h: NiftiHeaderFields, file: string, options: NiftiReadOptions = {}): VolumePlan {
  const info = datatypeByCode(h.datatypeCode);
  const wide = WIDE_INTEGER_CODES[h.datatypeCode];
  if (!info && !wide) throw new VolumeError(file, `unsupported NIfTI datatype ${datatypeCodeName(h.datatypeCode)} (code ${h.datatypeCode}); supported: uint8, int8, int16, uint16, int32, uint32, float32, float64 (int64/uint64 when values fit int32)`);
  const nd = h.dim[0]!;
  const size = (i: number) => (i <= nd ? h.dim[i]! : 1);
  let channels = 1;
  for (let i = 4; i <= nd; i++) channels *= h.dim[i]!;
  const shape = nd >= 4 ? [size(1), size(2), size(3), channels] : [size(1), size(2), size(3)];
  const count = shape.reduce((a, b) => a * b, 1);
  const max = options.maxVoxels ?? DEFAULT_MAX_VOXELS;
  if (count > max) {
    throw new VolumeError(file, `header claims ${h.dim.slice(1, nd + 1).join("x")} = ${count} voxels, more than the limit of ${max} (maxVoxels; --max-voxels on the command line)`);
  }
  const bytesPer = info ? info.bytes : 8;
  return { shape, count, bytesPer, bytesNeeded: h.voxOffset + count * bytesPer };
}
