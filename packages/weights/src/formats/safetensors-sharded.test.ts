import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCheckpoint } from "../read.js";
import { f32Entry, tensorEntry, type TensorEntry } from "../tensor.js";
import { expectSameTensors, testFormat } from "../testing/index.js";
import { writeSafetensors } from "./safetensors.js";
import { readShardedSafetensors, shardedSafetensorsFormat } from "./safetensors-sharded.js";

const all = new Map<string, TensorEntry>([
  ["cls_token", f32Entry([1, 1, 2], Float32Array.from([0.5, -0.5]))],
  ["blocks.0.attn.qkv.weight", f32Entry([6, 2], Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))],
  ["blocks.0.attn.relative_position_index", tensorEntry("I64", [2], BigInt64Array.from([0n, 1n]))],
  ["norm.weight", tensorEntry("BF16", [2], Uint16Array.from([0x3f80, 0x4000]))],
]);

function makeSharded(): string {
  const dir = mkdtempSync(join(tmpdir(), "shard-"));
  const names = [...all.keys()];
  const shards = [names.slice(0, 2), names.slice(2)];
  const weightMap: Record<string, string> = {};
  shards.forEach((group, i) => {
    const file = `model-0000${i + 1}-of-00002.safetensors`;
    writeSafetensors(join(dir, file), new Map(group.map((n) => [n, all.get(n)!])), { metadata: { format: "pt" } });
    for (const n of group) weightMap[n] = file;
  });
  const index = join(dir, "model.safetensors.index.json");
  writeFileSync(index, JSON.stringify({ metadata: { total_size: 66 }, weight_map: weightMap }));
  return index;
}

testFormat(shardedSafetensorsFormat, [{ name: "two shards + index", file: makeSharded(), expected: all }]);

describe("safetensors-sharded", () => {
  it("is detected from the JSON content, reads lazily across shards and merges metadata", async () => {
    const ck = await readCheckpoint(makeSharded());
    expect(ck.format).toBe("safetensors-sharded");
    expect(ck.metadata).toEqual({ format: "pt", total_size: "66" });
    expectSameTensors(ck.tensors, all);
  });

  it("names a missing shard and a tensor absent from its shard", () => {
    const dir = mkdtempSync(join(tmpdir(), "shard-"));
    writeSafetensors(join(dir, "a.safetensors"), new Map([["x", f32Entry([1], new Float32Array(1))]]));
    const i1 = join(dir, "missing.index.json");
    writeFileSync(i1, JSON.stringify({ weight_map: { x: "a.safetensors", y: "b.safetensors" } }));
    expect(() => readShardedSafetensors(i1)).toThrow(/missing\.index\.json: shard "b\.safetensors" \(for tensor "y"\) is missing/);
    const i2 = join(dir, "absent.index.json");
    writeFileSync(i2, JSON.stringify({ weight_map: { z: "a.safetensors" } }));
    expect(() => readShardedSafetensors(i2)).toThrow(/absent\.index\.json: tensor "z" is mapped to shard "a\.safetensors", which does not hold it/);
    const i3 = join(dir, "escape.index.json");
    writeFileSync(i3, JSON.stringify({ weight_map: { z: "../../etc/passwd" } }));
    expect(() => readShardedSafetensors(i3)).toThrow(/outside the index folder/);
  });

  it("is not claimed for JSON without a weight_map", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "shard-")), "config.json");
    writeFileSync(file, JSON.stringify({ hidden_size: 768 }));
    await expect(readCheckpoint(file)).rejects.toThrow(/config\.json: unrecognised checkpoint format \(known: safetensors, safetensors-sharded, pytorch-zip, npz, npy, pytorch-legacy\)/);
  });
});
