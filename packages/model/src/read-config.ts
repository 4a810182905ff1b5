import { CheckpointError, type Checkpoint } from "@transseg/weights";
import { SEG_FORMAT, type SegConfigInput } from "./config.js";

/** Reads `__metadata__.transseg` of a checkpoint. */
export function readSegConfig(ckpt: Checkpoint, file: string): SegConfigInput {
  const raw = ckpt.metadata.transseg;
  if (raw === undefined) throw new CheckpointError(file, `no "transseg" metadata: not a ${SEG_FORMAT} checkpoint`);
  let parsed: SegConfigInput;
  try {
    parsed = JSON.parse(raw) as SegConfigInput;
  } catch (e) {
    throw new CheckpointError(file, `"transseg" metadata is not valid JSON (${(e as Error).message})`);
  }
  if (parsed?.format !== SEG_FORMAT) throw new CheckpointError(file, `metadata format is ${JSON.stringify(parsed?.format)}, expected "${SEG_FORMAT}"`);
  return parsed;
}
