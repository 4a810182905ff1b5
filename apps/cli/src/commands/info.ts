import { orientationCode, readNifti, volumeStats } from "@transseg/datasets";
import { flag, MAX_VOXELS_OPTION, maxVoxelsOpt, requiredPositional } from "../args.js";
import type { Command } from "../command.js";

const round = (x: number, digits = 6) => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : x);

export const infoCommand = {
  name: "info",
  summary: "Show a NIfTI volume's shape, datatype, spacing, affine, orientation and value range",
  usage: `Usage: transseg info <volume.nii[.gz]> [--json] [--max-voxels <n>]

Reads NIfTI-1 or NIfTI-2 (.nii, .nii.gz). Values are reported after scl_slope / scl_inter; the
affine is the sform when set, else the qform, else the voxel sizes. A .nii.gz is never inflated
past what its header needs (a decompression bomb is refused after a few kilobytes).

Options:
  --json             print one JSON object: {"path","shape","datatype","spacing","affine","orientation","min","max","mean"}
  --max-voxels <n>   refuse volumes whose header claims more voxels (default 2147483648 = 2^31)`,
  options: { json: { type: "boolean" }, ...MAX_VOXELS_OPTION },
  async run(args, io) {
    const path = requiredPositional(args, 0, "volume");
    const volume = await readNifti(path, { maxVoxels: maxVoxelsOpt(args) });
    const stats = volumeStats(volume);
    const info = {
      path,
      shape: volume.shape,
      datatype: volume.datatype,
      spacing: volume.spacing.map((s) => round(s)),
      affine: volume.affine.map((row) => row.map((v) => round(v))),
      orientation: orientationCode(volume.affine),
      min: stats.min,
      max: stats.max,
      mean: round(stats.mean),
    };
    if (flag(args, "json")) {
      io.stdout(`${JSON.stringify(info)}\n`);
      return;
    }
    const lines = [
      path,
      `  shape        ${info.shape.join(" x ")}`,
      `  datatype     ${info.datatype}${volume.header?.scaled ? ` (scaled from ${volume.header.sourceDatatype})` : ""}`,
      `  spacing      ${info.spacing.join(" x ")} mm`,
      `  orientation  ${info.orientation}`,
      `  range        ${info.min} .. ${info.max}, mean ${info.mean}`,
      `  affine       ${info.affine.map((r) => `[${r.join(", ")}]`).join("\n               ")}`,
    ];
    io.stdout(`${lines.join("\n")}\n`);
  },
} as const satisfies Command;
