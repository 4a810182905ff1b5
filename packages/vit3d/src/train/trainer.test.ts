import * as tf from "@tensorflow/tfjs";
import { builtinProfiles } from "@transseg/datasets";
import { readSafetensors, toFloat32 } from "@transseg/weights";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/init-backend.js";
import { loadSegmentationModel } from "../load.js";
import { normalizeSegConfig, type SegConfigInput } from "@transseg/model";
import { relativeMaxError } from "@transseg/model/testing";
import { defaultLayerIdxs } from "./options.js";
import { TRAIN_FIXTURES } from "./testing-refs.js";
import { tinyRunOptions, tinySpleenDataset } from "./testing-data.js";
import { resume, train, trainModelConfig, type TrainProgress } from "./trainer.js";
import { sharedDir } from "@transseg/weights/testing";

let data = "";
let runs = "";
beforeAll(async () => {
  await initBackend("wasm", { threads: 1 }); // cpu is ~20x slower for the training step
  data = await tinySpleenDataset();
  runs = join(dirname(data), "runs");
  mkdirSync(runs);
});
afterAll(() => rmSync(dirname(data), { recursive: true, force: true }));

const lines = (dir: string) =>
  readFileSync(join(dir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("train / resume", () => {
  let straight = "";

  it("a short run writes run.json, metrics.jsonl, last/best checkpoints and the state", async () => {
    straight = join(runs, "straight");
    const progress: TrainProgress[] = [];
    const before = tf.memory().numTensors;
    const r = await train(tinyRunOptions(data, straight), { onProgress: (p) => progress.push(p) });
    expect(tf.memory().numTensors).toBe(before);
    expect(r).toMatchObject({ step: 4, stopped: "completed", bestStep: 4 });
    expect(progress.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(progress[0]).toMatchObject({ total: 4, lr: 0 });
    expect(progress.every((p) => p.stepsPerSecond > 0 && Number.isFinite(p.loss))).toBe(true);
    const m = lines(straight);
    expect(m.map((l) => l.step)).toEqual([1, 2, 3, 4, 4]);
    expect(Object.keys(m[0]!)).toEqual(["step", "loss", "lr", "seconds"]);
    expect(Object.keys(m[4]!)).toEqual(["step", "val_dice", "val_dice_per_class", "seconds"]);
    expect(Object.keys(m[4]!.val_dice_per_class as object)).toEqual(["1"]);
    const meta = JSON.parse(readSafetensors(join(straight, "last.safetensors")).metadata.transseg!) as Record<string, unknown>;
    expect(meta).toMatchObject({ format: "transseg-seg/1", task: "Task09_Spleen", labels: { "0": "background", "1": "spleen" }, preprocess: { clip: [-175, 250] }, classes: 2 });
    expect(meta.decoder).toMatchObject({ kind: "upernet", channels: 32, layer_idxs: [0, 0, 0, 1] });
    // trainModelConfig: the config trained here, from the options or from the run folder, with no tensor made
    const tensors = tf.memory().numTensors;
    const fromOptions = await trainModelConfig(tinyRunOptions(data, join(runs, "unused")));
    // the checkpoint holds it with the head's own defaults filled in (UPerNet's pool_scales)
    const saved = normalizeSegConfig(meta as unknown as SegConfigInput);
    const { pool_scales: _p, ...decoder } = saved.decoder as unknown as Record<string, unknown>;
    expect(normalizeSegConfig(fromOptions)).toEqual({ ...saved, decoder });
    expect(normalizeSegConfig(await trainModelConfig({ resume: straight }))).toEqual({ ...saved, decoder });
    expect(tf.memory().numTensors).toBe(tensors);
    await expect(trainModelConfig({ resume: join(runs, "nothing-here") })).rejects.toThrow(/nothing-here/);
    expect(JSON.parse(readFileSync(join(straight, "run.json"), "utf8")).options).toMatchObject({ steps: 4, batch: 2, lr: 1e-3, weightDecay: 0.05, clipNorm: 1, loss: "dice-focal" });
  });

  it("k steps + abort (save) + resume == N steps straight, bit for bit", async () => {
    const split = join(runs, "split");
    const ctl = new AbortController();
    const first = await train(tinyRunOptions(data, split), { signal: ctl.signal, onProgress: (p) => p.step === 3 && ctl.abort() });
    expect(first).toMatchObject({ step: 3, stopped: "aborted" });
    const second = await resume(split);
    expect(second).toMatchObject({ step: 4, stopped: "completed" });
    const a = readSafetensors(join(straight, "last.safetensors")).tensors;
    const b = readSafetensors(join(split, "last.safetensors")).tensors;
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, e] of a) expect(Buffer.from(toFloat32(b.get(name)!).buffer).equals(Buffer.from(toFloat32(e).buffer)), name).toBe(true);
    expect(lines(split).map((l) => l.step)).toEqual([1, 2, 3, 4, 4]);
    expect(lines(split).map((l) => l.loss)).toEqual(lines(straight).map((l) => l.loss));
  });

  it("a run folder that is not empty is refused; resume needs a run folder", async () => {
    await expect(train(tinyRunOptions(data, straight))).rejects.toThrow(/the run folder is not empty/);
    await expect(resume(data)).rejects.toThrow(/run\.json: not found \(not a training run folder\)/);
    await expect(train(tinyRunOptions(data, join(runs, "bad"), { loss: "dice-focl" }))).rejects.toThrow(/unknown loss "dice-focl".*did you mean "dice-focal"\?/);
    await expect(train(tinyRunOptions(data, join(runs, "bad2"), { variant: "2.5d" as "2d" }))).rejects.toThrow(/unknown variant "2.5d"/);
  });

  it("resolves the task in the caller's profile registry (callbacks.profiles)", async () => {
    const mine = { ...builtinProfiles.Task09_Spleen, id: "MySpleen" };
    const options = tinyRunOptions(data, join(runs, "mine"), { task: "MySpleen", steps: 1 });
    await expect(train(options)).rejects.toThrow(/unknown task profile "MySpleen"/);
    const r = await train(options, { profiles: { ...builtinProfiles, MySpleen: mine } });
    expect(r.step).toBe(1);
    expect(JSON.parse(readFileSync(join(runs, "mine", "run.json"), "utf8")).options.task).toBe("MySpleen");
  });

  const python = spawnSync("/usr/bin/python3", ["-c", "import torch"]).status === 0;
  const refDir = sharedDir("ref");
  const haveRef = existsSync(join(refDir, "transseg_ref.py"));
  if (python && !haveRef) console.warn(`${refDir}/transseg_ref.py is absent: the PyTorch strict-load test is skipped`);
  it.skipIf(!python || !haveRef)("the written checkpoint loads into the PyTorch reference SegModel (strict=True) and gives the same logits", async () => {
    const ckpt = join(straight, "last.safetensors");
    const r = spawnSync("/usr/bin/python3", [join(TRAIN_FIXTURES, "check_torch_load.py"), ckpt, refDir], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as { ok: boolean; shape: number[]; logits: number[] };
    expect(out.ok).toBe(true);
    const model = await loadSegmentationModel(ckpt);
    const e = model.config.encoder;
    const shape: [number, number, number, number, number] = [1, e.in_channels, e.window, e.img[0], e.img[1]];
    const x = tf.tensor5d(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => Math.sin(0.37 * i)), shape);
    const logits = model.forward(x);
    expect(logits.shape).toEqual(out.shape);
    expect(relativeMaxError(logits.dataSync(), out.logits)).toBeLessThan(1e-4);
    tf.dispose([x, logits]);
    model.dispose();
  });
  if (!python) it.skip("PyTorch (/usr/bin/python3 -c 'import torch') is not available: strict-load check skipped", () => {});
});

describe("defaults", () => {
  it("decoder blocks follow round((k + 1) · depth / 12) − 1 (Python rounding)", () => {
    expect(defaultLayerIdxs(12)).toEqual([3, 5, 7, 11]);
    expect(defaultLayerIdxs(24)).toEqual([7, 11, 15, 23]);
    expect(defaultLayerIdxs(4)).toEqual([0, 1, 2, 3]);
    expect(defaultLayerIdxs(9)).toEqual([2, 3, 5, 8]); // 4.5 rounds to 4, as in Python
  });
});

