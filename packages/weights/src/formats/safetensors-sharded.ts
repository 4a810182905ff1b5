/**
 * Sharded safetensors: an index JSON (`model.safetensors.index.json`) with
 * `{"metadata": {...}, "weight_map": {tensor name: shard file}}` next to the shards. Shard headers
 * are read when the index is opened (and validated); values are read lazily from the shards.
 */
import { dirname, resolve } from "node:path";
import { CheckpointError } from "../errors.js";
import type { Checkpoint, CheckpointFormat } from "../format.js";
import { fileSize, readRange } from "../io.js";
import type { TensorEntry } from "../tensor.js";
import { readSafetensors } from "./safetensors.js";

const MAX_INDEX = 64 * 1024 * 1024;

function readIndex(path: string): { metadata: Record<string, unknown>; weightMap: Record<string, string> } {
  const size = fileSize(path);
  if (size > MAX_INDEX) throw new CheckpointError(path, `index file is ${size} bytes, too large for a safetensors index`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(readRange(path, 0, size)));
  } catch (e) {
    throw new CheckpointError(path, `safetensors index is not valid JSON (${(e as Error).message})`);
  }
  const wm = (json as { weight_map?: unknown } | null)?.weight_map;
  if (typeof wm !== "object" || wm === null || Array.isArray(wm) || !Object.values(wm).every((v) => typeof v === "string")) {
    throw new CheckpointError(path, `safetensors index has no "weight_map" object of tensor name -> shard file`);
  }
  const md = (json as { metadata?: unknown }).metadata;
  return { metadata: typeof md === "object" && md !== null ? (md as Record<string, unknown>) : {}, weightMap: wm as Record<string, string> };
}

export function readShardedSafetensors(path: string): Checkpoint {
  const { metadata, weightMap } = readIndex(path);
  const dir = dirname(path);
  const shards = new Map<string, Checkpoint>();
  const tensors = new Map<string, TensorEntry>();
  const md: Record<string, string> = {};
  for (const [name, file] of Object.entries(weightMap)) {
    const shardPath = resolve(dir, file);
    if (dirname(shardPath) !== resolve(dir) && !shardPath.startsWith(resolve(dir) + "/")) {
      throw new CheckpointError(path, `shard "${file}" of tensor "${name}" is outside the index folder`);
    }
    let shard = shards.get(shardPath);
    if (!shard) {
      try {
        fileSize(shardPath);
      } catch (e) {
        const missing = (e as CheckpointError).problem === "no such file";
        throw new CheckpointError(path, `shard "${file}" (for tensor "${name}") ${missing ? "is missing" : `cannot be read: ${(e as CheckpointError).problem}`}`);
      }
      shard = readSafetensors(shardPath);
      shards.set(shardPath, shard);
      Object.assign(md, shard.metadata);
    }
    const entry = shard.tensors.get(name);
    if (!entry) throw new CheckpointError(path, `tensor "${name}" is mapped to shard "${file}", which does not hold it`);
    tensors.set(name, entry);
  }
  for (const [k, v] of Object.entries(metadata)) md[k] = typeof v === "string" ? v : JSON.stringify(v);
  return { format: "safetensors-sharded", tensors, metadata: md };
}

function isIndex(head: Uint8Array, path: string): boolean {
  let i = 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09 || head[i] === 0xef || head[i] === 0xbb || head[i] === 0xbf)) i++;
  if (head[i] !== 0x7b) return false; // '{'
  try {
    const size = fileSize(path);
    if (size > MAX_INDEX) return false;
    return new TextDecoder().decode(readRange(path, 0, size)).includes('"weight_map"');
  } catch {
    return false;
  }
}

export const shardedSafetensorsFormat = {
  id: "safetensors-sharded",
  description: "sharded safetensors: a *.safetensors.index.json weight_map over several .safetensors shards",
  extensions: [".safetensors.index.json"],
  sniff: isIndex,
  read: readShardedSafetensors,
} as const satisfies CheckpointFormat;
