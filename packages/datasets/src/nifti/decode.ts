import { datatypeByCode, datatypeCodeName, WIDE_INTEGER_CODES, type DatatypeInfo } from "./datatypes.js";
import { VolumeError } from "./errors.js";
import { chooseAffine, parseNiftiHeader, type NiftiHeaderFields } from "./header.js";
import { planVolume, type NiftiReadOptions } from "./limits.js";
import type { Volume, VolumeData, VolumeDatatype, VolumeHeader } from "./volume.js";

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const SPATIAL_UNITS = { 0: ["unknown", 1], 1: ["m", 1000], 2: ["mm", 1], 3: ["um", 0.001] } as const;
const TEMPORAL_UNITS: Record<number, string> = { 0: "unknown", 8: "s", 16: "ms", 24: "us", 32: "Hz", 40: "ppm", 48: "rad/s" };

/** A typed-array view of `length` elements at `offset` — without a copy when aligned and in host byte order. */
function voxelArray(bytes: Uint8Array, offset: number, length: number, info: { array: DatatypeInfo["array"]; bytes: number }, swap: boolean, owned: boolean): VolumeData {
  const nbytes = length * info.bytes;
  const start = bytes.byteOffset + offset;
  let buffer = bytes.buffer as ArrayBuffer;
  let at = start;
  if (start % info.bytes !== 0 || (swap && !owned)) {
    buffer = new Uint8Array(bytes.subarray(offset, offset + nbytes)).buffer; // aligned private copy (Buffer#slice is a view)
    at = 0;
  }
  if (swap && info.bytes > 1) {
    const b = Buffer.from(buffer, at, nbytes);
    if (info.bytes === 2) b.swap16(); else if (info.bytes === 4) b.swap32(); else b.swap64();
  }
  return new info.array(buffer, at, length);
}

/** int64 / uint64 voxels (label maps written from numpy) narrowed to int32 when every value fits. */
function narrowWide(bytes: Uint8Array, offset: number, length: number, code: number, swap: boolean, file: string): Int32Array {
  const wide = WIDE_INTEGER_CODES[code]!;
  const copy = new Uint8Array(bytes.subarray(offset, offset + length * 8));
  if (swap) Buffer.from(copy.buffer, 0, copy.length).swap64();
  const src = wide.signed ? new BigInt64Array(copy.buffer, 0, length) : new BigUint64Array(copy.buffer, 0, length);
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const v = src[i]!;
    if (v > 2147483647n || v < -2147483648n) throw new VolumeError(file, `${wide.name} voxel value ${v} at index ${i} does not fit int32 (only int32-range ${wide.name} data is supported)`);
    out[i] = Number(v);
  }
  return out;
}

/**
 * Applies scl_slope / scl_inter: raw * slope + inter computed in float64 (as nibabel 5.0's
 * dataobj), stored as float32 for (u)int8, (u)int16 and float32 data (one rounding) and as
 * float64 for int32, uint32 and float64 data (whose values float32 cannot hold exactly).
 */
function scale(data: VolumeData, slope: number, inter: number): { data: Float32Array | Float64Array; datatype: VolumeDatatype } {
  const n = data.length;
  const wide = data instanceof Int32Array || data instanceof Uint32Array || data instanceof Float64Array;
  const out = wide ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = data[i]! * slope + inter;
  return { data: out, datatype: wide ? "float64" : "float32" };
}

function volumeHeader(h: NiftiHeaderFields, source: VolumeHeader["affineSource"], scaled: boolean): VolumeHeader {
  return {
    niftiVersion: h.version,
    littleEndian: h.littleEndian,
    datatypeCode: h.datatypeCode,
    sourceDatatype: datatypeCodeName(h.datatypeCode),
    dim: h.dim,
    pixdim: h.pixdim,
    voxOffset: h.voxOffset,
    sclSlope: h.sclSlope,
    sclInter: h.sclInter,
    scaled,
    qformCode: h.qformCode,
    sformCode: h.sformCode,
    qform: h.qformCode > 0 ? h.qform : null,
    sform: h.sformCode > 0 ? h.sform : null,
    affineSource: source,
    spatialUnit: (SPATIAL_UNITS[(h.xyztUnits & 7) as 0] ?? SPATIAL_UNITS[0])[0],
    temporalUnit: TEMPORAL_UNITS[h.xyztUnits & 0x38] ?? `code ${h.xyztUnits & 0x38}`,
    intentCode: h.intentCode,
    description: h.description,
  };
}

/**
 * Decodes an uncompressed single-file NIfTI-1/2 image. `owned` says the bytes may be modified
 * in place (byte swapping) and kept alive by the returned view.
 */
export function decodeNifti(bytes: Uint8Array, file: string, owned: boolean, options: NiftiReadOptions = {}): Volume {
  const h = parseNiftiHeader(bytes, file);
  const { shape, count, bytesPer } = planVolume(h, file, options);
  const info = datatypeByCode(h.datatypeCode);
  const available = bytes.length - h.voxOffset;
  if (count * bytesPer > available) {
    throw new VolumeError(file, `dims ${shape.join("x")} of ${datatypeCodeName(h.datatypeCode)} need ${count * bytesPer} bytes of voxel data after offset ${h.voxOffset}, but the file has ${Math.max(available, 0)} (truncated file or wrong dims)`);
  }
  const swap = h.littleEndian !== HOST_LITTLE_ENDIAN;
  let data: VolumeData = info ? voxelArray(bytes, h.voxOffset, count, info, swap, owned) : narrowWide(bytes, h.voxOffset, count, h.datatypeCode, swap, file);
  let datatype: VolumeDatatype = info ? info.name : "int32";

  const slope = h.sclSlope, inter = h.sclInter;
  const scaled = Number.isFinite(slope) && slope !== 0 && !(slope === 1 && inter === 0);
  if (scaled) {
    if (!Number.isFinite(inter)) throw new VolumeError(file, `scl_inter is ${inter} while scl_slope ${slope} is valid`);
    ({ data, datatype } = scale(data, slope, inter));
  }
  const toMm = (SPATIAL_UNITS[(h.xyztUnits & 7) as 0] ?? SPATIAL_UNITS[0])[1];
  const spacing = [1, 2, 3].map((i) => (i <= h.dim[0]! ? h.pixdim[i]! : 1) * toMm);
  const { affine, source } = chooseAffine(h);
  return { data, shape, spacing, affine, datatype, header: volumeHeader(h, source, scaled) };
}
