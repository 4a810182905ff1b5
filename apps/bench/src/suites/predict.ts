import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createOnnxSession, exportOnnx, onnxRunner } from "@transseg/onnx";
import { createSegmentationModel, initBackend, loadSegmentationModel, normalizeSegConfig, tfjsRunner, type SegConfigInput, type WindowRunner } from "@transseg/vit3d";
import { readCheckpoint } from "@transseg/weights";
import { runMeasured } from "../measure.js";
import type { BenchContext, BenchResult, BenchSuite } from "../suite.js";
import { sharedDir } from "@transseg/weights/testing/shared-dir"; // without vitest (unlike the testing entry)

const REF_DIR = sharedDir("ref");

interface ModelCase {
  readonly label: string;
  readonly config: SegConfigInput;
  /** Slices timed after one warm-up batch, and the batch size. */
  readonly slices: number;
  readonly batch: number;
  /** Backends this case runs on (BEiT-base on the pure-JS cpu backend would take ~20 min a slice). */
  readonly backends: readonly string[];
}

function seg(kind: "beit", dim: number, depth: number, heads: number, img: number, classes: number): SegConfigInput {
  return {
    encoder: { kind, dim, depth, heads, mlp_ratio: 4, patch: 16, window: 5, in_channels: 1, img: [img, img] },
    decoder: { kind: "upernet", channels: dim, layer_idxs: [3, 5, 7, 11] },
    classes,
  };
}

export const CASES = {
  base: { label: "BEiT-base + UPerNet(768), 512x512x5, 14 classes", config: seg("beit", 768, 12, 12, 512, 14), slices: 2, batch: 1, backends: ["tensorflow-gpu", "tensorflow", "wasm"] },
  small: { label: "BEiT-tiny + UPerNet(192), 256x256x5, 14 classes", config: seg("beit", 192, 12, 3, 256, 14), slices: 8, batch: 4, backends: ["tensorflow-gpu", "tensorflow", "wasm", "cpu"] },
} as const satisfies Record<string, ModelCase>;

/** Seconds per slice of `runner` on random windows, after one warm-up batch. */
export async function secondsPerSlice(runner: WindowRunner, slices: number, batch: number): Promise<number> {
  const shape = [batch, runner.inChannels, runner.window, runner.img[0], runner.img[1]] as const;
  const windows = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < windows.length; i++) windows[i] = ((i * 2654435761) % 1000) / 1000;
  await runner.run(windows, shape);
  const start = performance.now();
  for (let done = 0; done < slices; done += batch) await runner.run(windows, shape);
  return (performance.now() - start) / 1000 / slices;
}

/** The same forward in PyTorch (ref/transseg_ref.py SegModel, strict load of our checkpoint), seconds per slice. */
const TORCH_FORWARD = `
import json, sys, time, torch
sys.path.insert(0, sys.argv[1])
from transseg_ref import SegModel, load_safetensors
sd, meta = load_safetensors(sys.argv[2])
c = json.loads(meta["transseg"])
e, d = c["encoder"], c["decoder"]
cfg = dict(kind=e["kind"], dim=e["dim"], depth=e["depth"], heads=e["heads"], mlp_ratio=e["mlp_ratio"], patch=e["patch"],
           window=e["window"], in_channels=e["in_channels"], img=e["img"], channels=d["channels"], classes=c["classes"],
           layer_idxs=d["layer_idxs"], force_2d=False)
model = SegModel(cfg).eval()
model.load_state_dict(sd, strict=True)
torch.set_num_threads(int(sys.argv[3]))
slices, batch = int(sys.argv[4]), int(sys.argv[5])
x = torch.rand(batch, e["in_channels"], e["window"], e["img"][0], e["img"][1])
with torch.inference_mode():
    model(x)
    t = time.perf_counter()
    for _ in range(0, slices, batch):
        model(x)
    print(json.dumps({"seconds_per_slice": (time.perf_counter() - t) / slices}))
`;

async function runCase(ctx: BenchContext, id: keyof typeof CASES, torchPy: string | null): Promise<BenchResult[]> {
  const c: ModelCase = CASES[id];
  const slices = ctx.quick ? c.batch : c.slices;
  const ckpt = join(ctx.tmpDir, `${id}.safetensors`);
  await initBackend("cpu");
  const model = createSegmentationModel(c.config, { seed: 7 });
  model.saveCheckpoint(ckpt);
  model.dispose();
  let reference: BenchResult["reference"];
  if (torchPy) {
    writeFileSync(join(ctx.tmpDir, "forward.py"), TORCH_FORWARD);
    ctx.log(`${c.label}: PyTorch CPU …`);
    const threads = String((await import("node:os")).availableParallelism());
    const r = await runMeasured(torchPy, [join(ctx.tmpDir, "forward.py"), REF_DIR, ckpt, threads, String(slices), String(c.batch)]);
    reference = { label: `PyTorch CPU (${threads} threads)`, seconds: (JSON.parse(r.stdout.trim().split("\n").pop()!) as { seconds_per_slice: number }).seconds_per_slice };
  }
  const rows: BenchResult[] = [];
  {
    ctx.log(`${c.label}: ONNX Runtime …`);
    const session = await createOnnxSession(exportOnnx(await readCheckpoint(ckpt), { relativeBias: "gather", name: ckpt }));
    try {
      const runner = onnxRunner(session, normalizeSegConfig(c.config));
      const seconds = await secondsPerSlice(runner, slices, c.batch);
      const ratio = reference ? seconds / reference.seconds : undefined;
      rows.push({
        name: `predict ${c.label}, ${runner.engine} (s/slice, batch ${c.batch})`,
        ours: { seconds },
        ...(reference ? { reference } : {}),
        target: "≤ 1.0× PyTorch's time per slice",
        ...(ratio !== undefined && !ctx.quick ? { met: ratio <= 1 } : {}),
        notes: `${(1 / seconds).toFixed(3)} slices/s${ctx.quick ? "; quick run: not judged" : ""}`,
      });
    } finally {
      await session.release();
    }
  }
  for (const backend of c.backends) {
    let info;
    try {
      info = await initBackend(backend);
    } catch (e) {
      ctx.log(`${backend}: skipped (${(e as Error).message})`);
      continue;
    }
    const m = await loadSegmentationModel(ckpt);
    try {
      ctx.log(`${c.label}: ${info.description} …`);
      const seconds = await secondsPerSlice(tfjsRunner(m, info.description), slices, c.batch);
      const ratio = reference ? seconds / reference.seconds : undefined;
      rows.push({
        name: `predict ${c.label}, tfjs ${backend} (s/slice, batch ${c.batch})`,
        ours: { seconds },
        ...(reference ? { reference } : {}),
        ...(backend === "wasm" ? { target: "≤ 3× PyTorch's time per slice", ...(ratio !== undefined && !ctx.quick ? { met: ratio <= 3 } : {}) } : {}),
        notes: `${(1 / seconds).toFixed(3)} slices/s; ${info.description}${ctx.quick ? "; quick run: not judged" : ""}`,
      });
    } finally {
      m.dispose();
    }
  }
  return rows;
}

export const predictSuite = {
  id: "predict",
  description: "whole-model forward per slice (encoder + UPerNet): ONNX Runtime and each TensorFlow.js backend, beside PyTorch CPU",
  async run(ctx) {
    const torchPy = await ctx.pythonWith(["torch", "numpy"]);
    if (!torchPy) ctx.log("python3 with torch is not available: no PyTorch reference");
    return [...(await runCase(ctx, "small", torchPy)), ...(await runCase(ctx, "base", torchPy))];
  },
} as const satisfies BenchSuite;
