import { builtinRawLayouts, convertRawDataset, loadDataset, taskSplit, type LinkMode } from "@transseg/datasets";
import { requiredOpt, requiredPositional, stringOpt } from "../args.js";
import type { Command } from "../command.js";
import { unknownChoice } from "../errors.js";

const SUBCOMMANDS = ["convert"] as const;
const LINK_MODES = ["auto", "symlink", "reference"] as const;

export const datasetsCommand = {
  name: "datasets",
  summary: "Convert a raw ACDC or BTCV download to the Decathlon layout, without copying voxel data",
  usage: `Usage: transseg datasets convert <${Object.keys(builtinRawLayouts).join("|")}> <raw folder> -o <dir> [--link auto|symlink|reference]

Reads the download as it unpacks and writes dir/dataset.json with imagesTr/, labelsTr/ and
imagesTs/ holding relative symlinks to the raw files (no voxel data is copied); macOS ._* files
are ignored. Then prints the case counts and the paper's split of them.
  acdc  training/patientNNN/patientNNN_frameNN[_gt].nii.gz + Info.cfg (also under database/):
        the ED and ES frames of each patient (ids patient001_frame01, ...); testing/ frames
        become unlabelled test images
  btcv  RawData/Training/{img,label}/{img,label}NNNN.nii.gz (+ RawData/Testing/img/), given the
        folder holding RawData or RawData itself (ids img0001, ...)
MSD task folders need no conversion: they are read as they come.

Options:
  -o, --output <dir>  the new dataset folder (must not hold a dataset.json yet)
  --link <mode>       auto (default): symlinks where the file system allows them, else
                      references; symlink; reference: dataset.json lists paths into the raw
                      folder, relative to <dir>`,
  options: {
    output: { type: "string", short: "o" },
    link: { type: "string" },
  },
  async run(args, io) {
    const sub = requiredPositional(args, 0, "subcommand");
    if (!(SUBCOMMANDS as readonly string[]).includes(sub)) throw unknownChoice("datasets subcommand", sub, SUBCOMMANDS);
    const layout = requiredPositional(args, 1, Object.keys(builtinRawLayouts).join("|"));
    if (!Object.hasOwn(builtinRawLayouts, layout)) throw unknownChoice("raw layout", layout, Object.keys(builtinRawLayouts));
    const raw = requiredPositional(args, 2, "raw folder");
    const output = requiredOpt(args, "output");
    const link = stringOpt(args, "link") ?? "auto";
    if (!(LINK_MODES as readonly string[]).includes(link)) throw unknownChoice("--link mode", link, LINK_MODES);

    const result = await convertRawDataset(raw, output, { layout, link: link as LinkMode | "auto" });
    const how = result.link === "symlink" ? "symlinks to the raw files" : "dataset.json paths into the raw folder";
    io.stdout(`${result.root}: ${result.json.training.length} training cases and ${result.json.test.length} test images of ${result.taskId} (${how})\n`);
    const ds = await loadDataset(result.root);
    const split = taskSplit(result.taskId, ds.training);
    const counts = `${split.train.length} train / ${split.val.length} validation / ${split.test.length} test`;
    io.stdout(
      split.paper
        ? `paper split: ${counts}${split.valIsTest ? " (validation = test, as the paper)" : ""}\n`
        : `not the paper's split (${split.fallbackReason}): seeded split ${counts}\n`,
    );
  },
} as const satisfies Command;
