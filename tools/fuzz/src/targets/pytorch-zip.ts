/**
 * PyTorch `torch.save` zip files through `readPytorchZip` and `readCheckpoint`: the zip's
 * structure (sizes, offsets, duplicated or missing entries, stored/deflated) and the pickle's
 * opcodes (shuffled, dropped, duplicated, moved, integer arguments set to extremes, globals renamed).
 */
import { readFileSync } from "node:fs";
import { readPytorchZip } from "@transseg/weights";
import { py, torchStateDict, torchStorage, torchTensor, writeTorchZip, type TorchZipOptions } from "@transseg/weights/testing";
import { INT_ARG_WIDTH, joinPickle, splitPickle, type PickleOp } from "../formats/pickle-ops.js";
import { zipLayout, type ZipEntryData } from "../formats/zip-layout.js";
import { entriesOf, mutateZipEntries, rebuildZip } from "../formats/zip-mutate.js";
import { mutateBytes, writeField } from "../mutate.js";
import type { Rng } from "../rng.js";
import { fileOf, stacked, type FuzzFile, type FuzzSeed, type FuzzTarget } from "../target.js";
import { bytesWrittenBy, readBoth } from "./checkpoint-check.js";
import { sampleTensors } from "./safetensors.js";

const FILE = "model.pth";
const VIEWS = new URL("../../../../packages/weights/test-data/views.pth", import.meta.url);

function generated(name: string, options: TorchZipOptions, nest = false): FuzzSeed {
  const { root, storages } = torchStateDict(sampleTensors(nest ? "module." : ""));
  const tree = nest ? py.dict({ state_dict: py.ordered(root), epoch: 3 }) : py.ordered(root);
  return { name, files: [{ name: FILE, bytes: bytesWrittenBy(FILE, (p) => writeTorchZip(p, tree, storages, options)) }], main: FILE };
}

function sharedViews(): FuzzSeed {
  const s = torchStorage("0", "F32", Float32Array.from({ length: 24 }, (_, i) => i));
  const tree = py.ordered({ base: torchTensor(s, [4, 6]), t: torchTensor(s, [6, 4], { stride: [1, 6] }), row: torchTensor(s, [6], { offset: 12 }), odd: torchTensor(s, [3, 3], { offset: 6, stride: [6, 2] }) });
  return { name: "shared-views", files: [{ name: FILE, bytes: bytesWrittenBy(FILE, (p) => writeTorchZip(p, tree, [s])) }], main: FILE };
}

const GLOBALS = ["torch\nFloatStorage", "torch\nLongStorage", "posix\nsystem", "builtins\neval", "collections\nOrderedDict", "torch._utils\n_rebuild_tensor_v2", "torch\nTensor", "__builtin__\nset"];

function mutateOps(ops: PickleOp[], rng: Rng): { ops: PickleOp[]; note: string } {
  const out = [...ops];
  if (!out.length) return { ops: out, note: "empty pickle" };
  const i = rng.below(out.length);
  const kind = rng.pick(["shuffle", "swap", "delete", "duplicate", "move", "arg", "global", "insert"] as const);
  switch (kind) {
    case "shuffle": {
      const n = Math.min(out.length - i, rng.int(2, 12));
      for (let k = n - 1; k > 0; k--) { const j = rng.below(k + 1); [out[i + k], out[i + j]] = [out[i + j]!, out[i + k]!]; }
      return { ops: out, note: `shuffle ${n} opcodes from #${i}` };
    }
    case "swap": { const j = rng.below(out.length); [out[i], out[j]] = [out[j]!, out[i]!]; return { ops: out, note: `swap opcodes #${i} and #${j}` }; }
    case "delete": out.splice(i, 1); return { ops: out, note: `delete opcode #${i} (0x${ops[i]!.code.toString(16)})` };
    case "duplicate": out.splice(i, 0, out[i]!); return { ops: out, note: `duplicate opcode #${i}` };
    case "move": { const [op] = out.splice(i, 1); out.splice(rng.below(out.length + 1), 0, op!); return { ops: out, note: `move opcode #${i}` }; }
    case "arg": {
      const withArgs = out.map((o, k) => [o, k] as const).filter(([o]) => INT_ARG_WIDTH[o.code] !== undefined);
      if (!withArgs.length) return { ops: out, note: "no integer argument" };
      const [op, k] = rng.pick(withArgs);
      const width = INT_ARG_WIDTH[op.code]!;
      const bytes = op.bytes.slice();
      const value = rng.pick([0n, 1n, 255n, 2n ** 15n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 53n, 2n ** 63n, -1n, BigInt(rng.u32())]);
      writeField(bytes, { at: 1, width, kind: "uint", little: true, name: "arg" }, value);
      out[k] = { code: op.code, bytes };
      return { ops: out, note: `opcode #${k} (0x${op.code.toString(16)}) argument := ${value}` };
    }
    case "global": {
      const g = new TextEncoder().encode(`c${rng.pick(GLOBALS)}\n`);
      out.splice(i, 0, { code: 0x63, bytes: g });
      return { ops: out, note: `GLOBAL inserted at #${i}` };
    }
    case "insert": {
      const code = rng.pick([0x28, 0x2e, 0x30, 0x4e, 0x52, 0x62, 0x51, 0x61, 0x65, 0x73, 0x75, 0x74, 0x93, 0x94, 0x81, 0x92, 0x8a, 0x69, 0x82, 0xff]);
      out.splice(i, 0, { code, bytes: Uint8Array.of(code) });
      return { ops: out, note: `opcode 0x${code.toString(16)} inserted at #${i}` };
    }
  }
}

function step(input: FuzzSeed, rng: Rng): { files: FuzzFile[]; note: string } {
  const bytes = fileOf(input);
  const kind = rng.weighted([[4, "bytes"], [3, "pickle"], [2, "entries"]] as const);
  const entries = kind === "bytes" ? null : entriesOf(bytes);
  const out = (b: Uint8Array, note: string) => ({ files: [{ name: FILE, bytes: b }], note });
  if (!entries) {
    const m = mutateBytes(bytes, zipLayout(bytes), rng);
    return out(m.bytes, m.note);
  }
  if (kind === "pickle") {
    const pkl = entries.find((e) => e.name.endsWith("data.pkl"));
    if (pkl) {
      const m = mutateOps(splitPickle(pkl.data), rng);
      const rebuilt: ZipEntryData[] = entries.map((e) => (e === pkl ? { ...e, data: joinPickle(m.ops) } : e));
      return out(rebuildZip(rebuilt, rng), `pickle ${m.note}`);
    }
  }
  const names = [...new Set(entries.map((e) => e.name)), "archive/data.pkl", "other/data.pkl", "archive/data/0", "archive/byteorder", "data.pkl"];
  const m = mutateZipEntries(entries, rng, names);
  return out(rebuildZip(m.entries, rng), m.note);
}

export const pytorchZipTarget = {
  id: "pytorch-zip",
  description: "PyTorch zip + pickle (.pth): readPytorchZip and readCheckpoint",
  errorName: "CheckpointError",
  // storages may be deflated (≤ 1032:1); views are copied densely
  expansion: 1100,
  seeds: () => [
    { name: "views.pth (torch)", files: [{ name: FILE, bytes: new Uint8Array(readFileSync(VIEWS)) }], main: FILE },
    generated("all-dtypes", {}),
    generated("deflated", { deflate: true }),
    generated("zip64", { zip64: true }),
    generated("big-endian, nested, module.", { byteorder: "big" }, true),
    sharedViews(),
  ],
  mutate: (seed, rng) => stacked(seed, rng, step),
  read: (path) => readBoth(path, readPytorchZip),
} as const satisfies FuzzTarget;

