/** Sharded safetensors (`*.safetensors.index.json` + shards) through `readShardedSafetensors` and `readCheckpoint`. */
import { readShardedSafetensors, writeSafetensors, type TensorEntry } from "@transseg/weights";
import { mutateSafetensors, safetensorsLayout } from "../formats/safetensors-parts.js";
import { mutateJson } from "../json-mutate.js";
import { mutateBytes } from "../mutate.js";
import type { Rng } from "../rng.js";
import { fileOf, withFile, type FuzzFile, type FuzzSeed, type FuzzTarget, stacked } from "../target.js";
import { bytesWrittenBy, readBoth } from "./checkpoint-check.js";
import { sampleTensors } from "./safetensors.js";

const INDEX = "model.safetensors.index.json";
const SHARDS = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"];

function seed(): FuzzSeed {
  const all = [...sampleTensors("layer.")];
  const halves = [all.slice(0, 6), all.slice(6)];
  const files: FuzzFile[] = [];
  const weightMap: Record<string, string> = {};
  halves.forEach((part, i) => {
    files.push({ name: SHARDS[i]!, bytes: bytesWrittenBy(SHARDS[i]!, (p) => writeSafetensors(p, new Map<string, TensorEntry>(part))) });
    for (const [name] of part) weightMap[name] = SHARDS[i]!;
  });
  const index = { metadata: { total_size: 1234, format: "pt" }, weight_map: weightMap };
  files.push({ name: INDEX, bytes: new TextEncoder().encode(JSON.stringify(index, null, 2)) });
  return { name: "two-shards", files, main: INDEX };
}

const PATHS = ["../outside.safetensors", "/etc/hostname", "", ".", "missing.safetensors", INDEX, "sub/x.safetensors", SHARDS[0]!, SHARDS[1]!, "\u0000"];

function step(input: FuzzSeed, rng: Rng): { files: FuzzFile[]; note: string } {
  const kind = rng.weighted([[3, "json"], [2, "path"], [1, "drop"], [3, "shard"]] as const);
  const text = new TextDecoder().decode(fileOf(input, INDEX));
  if (kind === "json") {
    const m = mutateJson(text, rng, ["weight_map", "metadata", "total_size", "layer.w", ...SHARDS]);
    return { files: withFile(input.files, INDEX, new TextEncoder().encode(m.text)), note: `index ${m.note}` };
  }
  if (kind === "path") {
    try {
      const index = JSON.parse(text) as { weight_map?: Record<string, unknown> };
      const names = Object.keys(index.weight_map ?? {});
      if (index.weight_map && names.length) {
        const name = rng.pick(names);
        index.weight_map[name] = rng.pick(PATHS);
        return { files: withFile(input.files, INDEX, new TextEncoder().encode(JSON.stringify(index))), note: `weight_map["${name}"] := ${JSON.stringify(index.weight_map[name])}` };
      }
    } catch { /* fall through to a byte mutation */ }
  }
  if (kind === "drop") {
    const shard = rng.pick(SHARDS);
    return { files: input.files.filter((f) => f.name !== shard), note: `shard ${shard} removed` };
  }
  const shard = rng.pick(SHARDS);
  const present = input.files.find((f) => f.name === shard);
  if (!present) return { files: [...input.files], note: "no shard to mutate" };
  const m = (rng.chance(0.5) ? mutateSafetensors(present.bytes, rng) : null) ?? mutateBytes(present.bytes, safetensorsLayout(present.bytes), rng);
  return { files: withFile(input.files, shard, m.bytes), note: `${shard}: ${m.note}` };
}

export const safetensorsShardedTarget = {
  id: "safetensors-sharded",
  description: "sharded safetensors index + shards: readShardedSafetensors and readCheckpoint",
  errorName: "CheckpointError",
  expansion: 2,
  seeds: () => [seed()],
  mutate: (s, rng) => stacked(s, rng, step),
  read: (path) => readBoth(path, readShardedSafetensors),
} as const satisfies FuzzTarget;
