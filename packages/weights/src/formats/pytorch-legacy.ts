/**
 * The legacy (pre-1.6, non-zip) `torch.save` format: a bare pickle stream that starts with
 * torch's magic number. It interleaves several pickles with raw storage bytes; rather than
 * read it, this plugin recognises it and tells the user how to convert it.
 */
import { CheckpointError } from "../errors.js";
import type { Checkpoint, CheckpointFormat } from "../format.js";

// PROTO 2, LONG1 of 10 bytes: 0x1950a86a20f9469cfc6c, torch's legacy magic number.
const MAGIC = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

export const LEGACY_HINT =
  "PyTorch legacy (pre-1.6, non-zip) checkpoint format is not supported; re-save it with torch >= 1.6, which writes the zip format: torch.save(torch.load(f, map_location=\"cpu\"), f2)";

export const pytorchLegacyFormat = {
  id: "pytorch-legacy",
  description: "PyTorch legacy non-zip checkpoint: recognised and refused with a conversion hint",
  extensions: [".pth", ".pt"],
  sniff: (head: Uint8Array) => head.length >= MAGIC.length && MAGIC.every((b, i) => head[i] === b),
  read(path: string): Checkpoint {
    throw new CheckpointError(path, LEGACY_HINT);
  },
} as const satisfies CheckpointFormat;
