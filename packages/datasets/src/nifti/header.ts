import { NIFTI1, NIFTI2 } from "nifti-reader-js";
import { identity4, qformToAffine } from "./affine.js";
import { VolumeError } from "./errors.js";

/** Header fields a reader needs, independent of NIfTI version and byte order. */
export interface NiftiHeaderFields {
  readonly version: 1 | 2;
  readonly littleEndian: boolean;
  readonly sizeofHdr: 348 | 540;
  readonly dim: number[];
  readonly pixdim: number[];
  readonly datatypeCode: number;
  readonly voxOffset: number;
  readonly sclSlope: number;
  readonly sclInter: number;
  readonly xyztUnits: number;
  readonly qformCode: number;
  readonly sformCode: number;
  readonly qform: number[][];
  readonly sform: number[][];
  readonly intentCode: number;
  readonly description: string;
}

const NIFTI1_MAGIC = "n+1";
const NIFTI2_MAGIC = "n+2";

function text(bytes: Uint8Array, start: number, length: number): string {
  let s = "";
  for (let i = start; i < start + length && bytes[i] !== 0; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** Which NIfTI version and byte order `sizeof_hdr` announces, or null when it is neither 348 nor 540. */
export function sniffNifti(bytes: Uint8Array): { version: 1 | 2; littleEndian: boolean } | null {
  if (bytes.length < 4) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 4);
  for (const littleEndian of [true, false]) {
    const size = view.getInt32(0, littleEndian);
    if (size === 348) return { version: 1, littleEndian };
    if (size === 540) return { version: 2, littleEndian };
  }
  return null;
}

/**
 * Parses and checks a NIfTI-1 or NIfTI-2 header from the start of `bytes` (field decoding by
 * nifti-reader-js; transform selection as nibabel: sform if sform_code > 0, else qform if
 * qform_code > 0, else diag(pixdim)). Throws VolumeError naming `file` on a bad header.
 */
export function parseNiftiHeader(bytes: Uint8Array, file: string): NiftiHeaderFields {
  const kind = sniffNifti(bytes);
  if (!kind) {
    const size = bytes.length >= 4 ? new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, true) : null;
    throw new VolumeError(file, size === null ? `not a NIfTI file (only ${bytes.length} bytes)` : `not a NIfTI file (header size field is ${size}, expected 348 or 540)`);
  }
  const sizeofHdr = kind.version === 1 ? 348 : 540;
  if (bytes.length < sizeofHdr) throw new VolumeError(file, `truncated NIfTI-${kind.version} header (${bytes.length} of ${sizeofHdr} bytes)`);
  const magic = kind.version === 1 ? text(bytes, 344, 4) : text(bytes, 4, 4);
  const want = kind.version === 1 ? NIFTI1_MAGIC : NIFTI2_MAGIC;
  if (magic !== want) {
    const pair = kind.version === 1 ? "ni1" : "ni2";
    throw new VolumeError(file, magic === pair
      ? `is the header of a NIfTI .hdr/.img pair (magic "${pair}"); only single-file .nii / .nii.gz is supported`
      : `bad NIfTI-${kind.version} magic ${JSON.stringify(magic)} (expected "${want}")`);
  }
  const copy = new Uint8Array(bytes.subarray(0, sizeofHdr)).buffer; // a real copy (Buffer#slice is a view)
  const h = kind.version === 1 ? new NIFTI1() : new NIFTI2();
  h.readHeader(copy);
  const dim = [...h.dims];
  const pixdim = [...h.pixDims];
  const nd = dim[0]!;
  if (!(nd >= 1 && nd <= 7)) throw new VolumeError(file, `invalid dim[0] = ${nd} (number of dimensions must be 1..7)`);
  for (let i = 1; i <= nd; i++) {
    if (!Number.isInteger(dim[i]) || dim[i]! < 1) throw new VolumeError(file, `invalid dim[${i}] = ${dim[i]} (sizes must be positive)`);
  }
  let sform = identity4();
  if (kind.version === 1) {
    const view = new DataView(copy);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) sform[r]![c] = view.getFloat32(280 + 16 * r + 4 * c, kind.littleEndian);
  } else {
    sform = h.affine.map((row) => [...row]);
  }
  let voxOffset = Math.floor(h.vox_offset);
  if (voxOffset === 0) voxOffset = sizeofHdr + 4; // 0 means "right after the header" for single files
  if (!(voxOffset >= sizeofHdr)) throw new VolumeError(file, `vox_offset ${h.vox_offset} lies inside the ${sizeofHdr}-byte header`);
  return {
    version: kind.version,
    littleEndian: kind.littleEndian,
    sizeofHdr,
    dim,
    pixdim,
    datatypeCode: h.datatypeCode,
    voxOffset,
    sclSlope: h.scl_slope,
    sclInter: h.scl_inter,
    xyztUnits: h.xyzt_units,
    qformCode: h.qform_code,
    sformCode: h.sform_code,
    qform: qformToAffine({ quatern: [h.quatern_b, h.quatern_c, h.quatern_d], offset: [h.qoffset_x, h.qoffset_y, h.qoffset_z], pixdim }),
    sform,
    intentCode: h.intent_code,
    description: h.description,
  };
}

/** The affine nibabel reports: sform, else qform, else voxel scaling (NIfTI method 1). */
export function chooseAffine(h: NiftiHeaderFields): { affine: number[][]; source: "sform" | "qform" | "pixdim" } {
  if (h.sformCode > 0) return { affine: h.sform.map((r) => [...r]), source: "sform" };
  if (h.qformCode > 0) return { affine: h.qform.map((r) => [...r]), source: "qform" };
  const a = identity4();
  for (let i = 0; i < 3; i++) a[i]![i] = h.pixdim[i + 1] || 1;
  return { affine: a, source: "pixdim" };
}
