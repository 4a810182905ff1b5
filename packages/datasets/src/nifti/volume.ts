/** Element types a `Volume` can hold (NIfTI datatypes with a native typed array). */
export type VolumeDatatype = "uint8" | "int8" | "int16" | "uint16" | "int32" | "uint32" | "float32" | "float64";

export type VolumeData = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** Header facts kept from the source file (not needed to use the volume). */
export interface VolumeHeader {
  /** 1 or 2. */
  readonly niftiVersion: 1 | 2;
  readonly littleEndian: boolean;
  /** NIfTI datatype code and name as stored in the file (before scaling or int64 narrowing). */
  readonly datatypeCode: number;
  readonly sourceDatatype: string;
  /** `dim[0..7]` as stored. */
  readonly dim: readonly number[];
  /** `pixdim[0..7]` as stored (units not converted; `pixdim[0]` is qfac). */
  readonly pixdim: readonly number[];
  readonly voxOffset: number;
  /** Scaling as stored; `scaled` says whether it was applied to `data`. */
  readonly sclSlope: number;
  readonly sclInter: number;
  readonly scaled: boolean;
  readonly qformCode: number;
  readonly sformCode: number;
  /** Affines from each transform (null when its code is 0). */
  readonly qform: number[][] | null;
  readonly sform: number[][] | null;
  /** Which one `Volume.affine` is. */
  readonly affineSource: "sform" | "qform" | "pixdim";
  /** Spatial and temporal units from `xyzt_units` ("unknown" when 0). */
  readonly spatialUnit: "unknown" | "m" | "mm" | "um";
  readonly temporalUnit: string;
  readonly intentCode: number;
  readonly description: string;
}

/**
 * A 3D or 4D image in NIfTI order: x fastest, index = x + X*(y + Y*(z + Z*c)).
 * `shape` is [X, Y, Z] or [X, Y, Z, C] (C = modalities / channels / time points).
 */
export interface Volume {
  readonly data: VolumeData;
  readonly shape: number[];
  /** Voxel size in mm along x, y, z. */
  readonly spacing: number[];
  /** 4x4 voxel-to-world matrix (rows). */
  readonly affine: number[][];
  readonly datatype: VolumeDatatype;
  readonly header?: VolumeHeader;
}

/** What `writeNifti` needs: spacing defaults to the affine's voxel sizes (or 1), affine to diag(spacing). */
export interface VolumeInput {
  readonly data: VolumeData;
  readonly shape: readonly number[];
  readonly spacing?: readonly number[];
  readonly affine?: readonly (readonly number[])[];
  /** Store as this type (converted with rounding and a range check); default: the type of `data`. */
  readonly datatype?: VolumeDatatype;
}
