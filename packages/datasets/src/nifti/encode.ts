import { affineToQform, affineZooms } from "./affine.js";
import { DATATYPES, datatypeOf, type DatatypeInfo } from "./datatypes.js";
import { VolumeError } from "./errors.js";
import { unknownIdMessage } from "../suggest.js";
import type { VolumeData, VolumeDatatype, VolumeInput } from "./volume.js";

export const NIFTI1_HEADER_BYTES = 348;
/** Header + the 4-byte extension flag (no extensions): where the voxels start. */
export const NIFTI1_VOX_OFFSET = 352;
const NIFTI_UNITS_MM = 2;
const XFORM_SCANNER_ANAT = 1;

export interface EncodeNiftiOptions {
  /** Stored in `descrip` (at most 79 ASCII characters). */
  readonly description?: string;
}

/** Checks a VolumeInput and returns its storage type, voxel data (converted if asked) and affine. */
export function prepareVolume(file: string, v: VolumeInput): { info: DatatypeInfo; data: VolumeData; affine: number[][]; zooms: number[] } {
  const count = v.shape.reduce((a, b) => a * b, 1);
  const grid = prepareGrid(file, { ...v, datatype: v.datatype ?? datatypeOf(v.data) });
  if (v.data.length !== count) throw new VolumeError(file, `data has ${v.data.length} values but shape [${v.shape.join(", ")}] needs ${count}`);
  return { ...grid, data: convert(v.data, grid.info, file) };
}

/** What a NIfTI file needs besides its voxels: shape, storage type, and the affine or spacing. */
export type VolumeGridInput = Omit<VolumeInput, "data" | "datatype"> & { readonly datatype: VolumeDatatype };

/** Checks shape, datatype, affine and spacing (everything but the voxels) for writing. */
export function prepareGrid(file: string, v: VolumeGridInput): { info: DatatypeInfo; affine: number[][]; zooms: number[] } {
  const bad = (problem: string) => new VolumeError(file, problem);
  const shape = [...v.shape];
  if (shape.length !== 3 && shape.length !== 4) throw bad(`shape [${shape.join(", ")}] must have 3 or 4 dims`);
  if (!shape.every((d) => Number.isInteger(d) && d >= 1 && d <= 32767)) throw bad(`shape [${shape.join(", ")}] must hold integers 1..32767 (NIfTI-1 limit)`);
  const info = DATATYPES[v.datatype];
  if (!info) throw bad(unknownIdMessage("datatype", String(v.datatype), Object.keys(DATATYPES)));
  let affine: number[][];
  let zooms: number[];
  if (v.affine) {
    if (v.affine.length !== 4 || !v.affine.every((r) => r.length === 4 && r.every(Number.isFinite))) throw bad("affine must be a finite 4x4 matrix");
    affine = v.affine.map((r) => [...r]);
    zooms = affineZooms(affine);
    if (zooms.some((z) => !(z > 0))) throw bad(`affine has a zero voxel axis (column lengths ${zooms.join(", ")})`);
    if (v.spacing && v.spacing.some((s, i) => Math.abs(s - zooms[i]!) > 1e-5 * Math.max(1, Math.abs(s)))) {
      throw bad(`spacing [${v.spacing.join(", ")}] does not match the affine's voxel sizes [${zooms.map((z) => +z.toPrecision(7)).join(", ")}]`);
    }
  } else {
    zooms = [...(v.spacing ?? [1, 1, 1])];
    affine = [[zooms[0]!, 0, 0, 0], [0, zooms[1]!, 0, 0], [0, 0, zooms[2]!, 0], [0, 0, 0, 1]];
  }
  if (zooms.length !== 3 || !zooms.every((z) => z > 0 && Number.isFinite(z))) throw bad(`spacing [${zooms.join(", ")}] must be 3 positive numbers`);
  return { info, affine, zooms };
}

function convert(data: VolumeData, info: DatatypeInfo, file: string): VolumeData {
  if (data instanceof info.array) return data;
  const out = new info.array(data.length);
  if (!info.range) {
    out.set(data);
    return out;
  }
  const [lo, hi] = info.range;
  for (let i = 0; i < data.length; i++) {
    const r = Math.round(data[i]!);
    if (!(r >= lo && r <= hi)) throw new VolumeError(file, `value ${data[i]} at index ${i} does not fit ${info.name}`);
    out[i] = r;
  }
  return out;
}

/** The 352-byte NIfTI-1 header (+ empty extension flag) for a prepared volume, little-endian. */
export function encodeNiftiHeader(shape: readonly number[], info: DatatypeInfo, affine: number[][], zooms: readonly number[], options: EncodeNiftiOptions = {}): Uint8Array {
  const bytes = new Uint8Array(NIFTI1_VOX_OFFSET);
  const v = new DataView(bytes.buffer);
  const ascii = (at: number, s: string, max: number) => {
    for (let i = 0; i < Math.min(s.length, max); i++) bytes[at + i] = s.charCodeAt(i) & 0x7f;
  };
  v.setInt32(0, NIFTI1_HEADER_BYTES, true);
  bytes[38] = "r".charCodeAt(0);
  v.setInt16(40, shape.length, true);
  for (let i = 0; i < 7; i++) v.setInt16(42 + 2 * i, shape[i] ?? 1, true);
  v.setInt16(70, info.code, true);
  v.setInt16(72, info.bytes * 8, true);
  const q = affineToQform(affine);
  const pixdim = [q.qfac, zooms[0]!, zooms[1]!, zooms[2]!, 1, 1, 1, 1];
  pixdim.forEach((p, i) => v.setFloat32(76 + 4 * i, p, true));
  v.setFloat32(108, NIFTI1_VOX_OFFSET, true);
  v.setFloat32(112, 1, true); // scl_slope: no scaling
  v.setFloat32(116, 0, true);
  bytes[123] = NIFTI_UNITS_MM;
  ascii(148, options.description ?? "TransSeg-TS", 79);
  v.setInt16(252, XFORM_SCANNER_ANAT, true);
  v.setInt16(254, XFORM_SCANNER_ANAT, true);
  q.quatern.forEach((x, i) => v.setFloat32(256 + 4 * i, x, true));
  q.offset.forEach((x, i) => v.setFloat32(268 + 4 * i, x, true));
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) v.setFloat32(280 + 16 * r + 4 * c, affine[r]![c]!, true);
  ascii(344, "n+1", 3); // bytes 347 ("\0") and 348..351 (extension flag) stay zero
  return bytes;
}
