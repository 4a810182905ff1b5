/** Shared by the checkpoint targets: read every value of a checkpoint and check it is well formed; build seed bytes through the package writers. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DTYPE_BYTES, numel, readCheckpoint, type Checkpoint, type DType } from "@transseg/weights";

const ARRAY_OF: Record<DType, string> = {
  F64: "Float64Array", F32: "Float32Array", F16: "Uint16Array", BF16: "Uint16Array", I64: "BigInt64Array",
  I32: "Int32Array", I16: "Int16Array", I8: "Int8Array", U8: "Uint8Array", BOOL: "Uint8Array",
};

/** Reads every tensor; null when all are well formed, else the first problem. */
export function checkCheckpoint(ck: Checkpoint): string | null {
  for (const [k, v] of Object.entries(ck.metadata)) if (typeof v !== "string") return `metadata "${k}" is a ${typeof v}, not a string`;
  for (const [name, t] of ck.tensors) {
    if (typeof name !== "string") return "a tensor name is not a string";
    if (!(t.dtype in DTYPE_BYTES)) return `tensor "${name}" has dtype ${String(t.dtype)}`;
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return `tensor "${name}" has shape [${t.shape.join(", ")}]`;
    const data = t.read();
    if (data.length !== numel(t.shape)) return `tensor "${name}" read ${data.length} values for shape [${t.shape.join(", ")}]`;
    if (data.constructor.name !== ARRAY_OF[t.dtype] && !(t.dtype === "U8" || t.dtype === "BOOL")) return `tensor "${name}" (${t.dtype}) read as ${data.constructor.name}`;
  }
  return null;
}

/** Reads with the format's own reader, then through `readCheckpoint` (sniffing included); both must be clean. */
export async function readBoth(path: string, direct: (path: string) => Checkpoint | Promise<Checkpoint>): Promise<string | null> {
  const a = checkCheckpoint(await direct(path));
  if (a) return a;
  return checkCheckpoint(await readCheckpoint(path));
}

/** The bytes a path-writing function produces. */
export function bytesWrittenBy(name: string, write: (path: string) => void): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "fuzz-seed-"));
  try {
    const path = join(dir, name);
    write(path);
    return new Uint8Array(readFileSync(path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
