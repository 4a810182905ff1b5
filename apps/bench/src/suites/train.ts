import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { builtinLosses, createSegmentationModel, initBackend, TrainStepper, type MicroBatch, type SegConfigInput } from "@transseg/vit3d";
import { runMeasured } from "../measure.js";
import type { BenchContext, BenchResult, BenchSuite } from "../suite.js";

const REF_DIR = resolve(import.meta.dirname, "../../../../../shared/ref");

interface TrainCase {
  readonly label: string;
  readonly config: SegConfigInput;
  /** Timed steps per backend (the pure-JS cpu backend takes minutes a step for the small model: tiny only). */
  readonly steps: Readonly<Record<string, number>>;
  /**
   * Untimed warm-up steps before the timed ones, the same for PyTorch and TensorFlow.js: the first
   * steps of a run pay for JIT compilation and operator set-up (a tiny wasm step takes ~75 ms over
   * its first 10 steps, ~50 ms from then on); a training run's speed is the steady state.
   */
  readonly warmup: number;
}

function seg(dim: number, depth: number, heads: number, img: number, layerIdxs: number[]): SegConfigInput {
  return {
    encoder: { kind: "beit", dim, depth, heads, mlp_ratio: 4, patch: 16, window: 5, in_channels: 1, img: [img, img] },
    decoder: { kind: "upernet", channels: dim, layer_idxs: layerIdxs },
    classes: 2,
  };
}

const CASES = {
  tiny: { label: "tiny (BEiT dim 64, depth 4, 64x64x5, UPerNet 64)", config: seg(64, 4, 4, 64, [0, 1, 2, 3]), steps: { wasm: 30, cpu: 3 }, warmup: 10 },
  small: { label: "small (BEiT-small 384x12, 128x128x5, UPerNet 384)", config: seg(384, 12, 6, 128, [3, 5, 7, 11]), steps: { wasm: 3 }, warmup: 2 },
} as const satisfies Record<string, TrainCase>;

/** A deterministic batch of 2 windows with a foreground blob in the labels. */
function batchFor(config: SegConfigInput): MicroBatch {
  const [H, W] = config.encoder.img;
  const shape = [2, 1, 5, H, W] as const;
  const image = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < image.length; i++) image[i] = ((i * 2654435761) % 997) / 997;
  const label = new Int32Array(2 * H * W);
  for (let b = 0; b < 2; b++) for (let h = H / 4; h < H / 2; h++) for (let w = W / 4; w < W / 2; w++) label[b * H * W + h * W + w] = 1;
  return { image, label, shape };
}

/** The same step in PyTorch: SegModel forward + Dice(softmax) + focal(γ 2) loss, backward, clipping, AdamW. */
const TORCH_STEP = `
import json, sys, time, torch, torch.nn.functional as F
sys.path.insert(0, sys.argv[1])
from transseg_ref import SegModel
torch.set_num_threads(int(sys.argv[2]))
c = json.loads(sys.argv[3])
e, d = c["encoder"], c["decoder"]
cfg = dict(kind=e["kind"], dim=e["dim"], depth=e["depth"], heads=e["heads"], mlp_ratio=e["mlp_ratio"], patch=e["patch"],
           window=e["window"], in_channels=1, img=e["img"], channels=d["channels"], classes=c["classes"], layer_idxs=d["layer_idxs"])
model = SegModel(cfg).train()
opt = torch.optim.AdamW(model.parameters(), lr=3e-5, weight_decay=0.05)
H, W = e["img"]
x = torch.rand(2, 1, 5, H, W)
y = torch.zeros(2, H, W, dtype=torch.long); y[:, H // 4:H // 2, W // 4:W // 2] = 1
def step():
    opt.zero_grad()
    logits = model(x)
    p = logits.softmax(1)
    t = F.one_hot(y, c["classes"]).permute(0, 3, 1, 2).float()
    dice = 1 - (2 * (p * t).sum((2, 3)) + 1e-5) / (p.sum((2, 3)) + t.sum((2, 3)) + 1e-5)
    logp = logits.log_softmax(1)
    focal = -(t * (1 - p) ** 2 * logp).sum(1).mean()
    loss = dice.mean() + focal
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
for _ in range(int(sys.argv[5])): step()
n = int(sys.argv[4]); t = time.perf_counter()
for _ in range(n): step()
print(json.dumps({"seconds_per_step": (time.perf_counter() - t) / n}))
`;

async function runCase(ctx: BenchContext, c: TrainCase, torchPy: string | null): Promise<BenchResult[]> {
  let reference: BenchResult["reference"];
  if (torchPy) {
    writeFileSync(join(ctx.tmpDir, "step.py"), TORCH_STEP);
    ctx.log(`${c.label}: PyTorch CPU …`);
    const threads = availableParallelism();
    const r = await runMeasured(torchPy, [join(ctx.tmpDir, "step.py"), REF_DIR, String(threads), JSON.stringify(c.config), String(ctx.quick ? 1 : Math.max(3, c.steps.wasm ?? 3)), String(ctx.quick ? 1 : c.warmup)]);
    reference = { label: `PyTorch CPU (${threads} threads)`, seconds: (JSON.parse(r.stdout.trim().split("\n").pop()!) as { seconds_per_step: number }).seconds_per_step };
  }
  const rows: BenchResult[] = [];
  for (const [backend, timed] of Object.entries(c.steps)) {
    const info = await initBackend(backend);
    ctx.log(`${c.label}: ${info.description} …`);
    const model = createSegmentationModel(c.config, { seed: 3 });
    try {
      const stepper = new TrainStepper(model, { loss: builtinLosses["dice-focal"], weightDecay: 0.05 });
      const batch = batchFor(c.config);
      const warmup = ctx.quick ? 1 : backend === "cpu" ? Math.min(2, c.warmup) : c.warmup;
      for (let i = 0; i < warmup; i++) stepper.step([batch], 3e-5, 1 + i);
      const n = ctx.quick ? 1 : timed;
      const start = performance.now();
      for (let i = 0; i < n; i++) stepper.step([batch], 3e-5, 1 + warmup + i);
      const seconds = (performance.now() - start) / 1000 / n;
      const ratio = reference ? seconds / reference.seconds : undefined;
      rows.push({
        name: `train step ${c.label}, batch 2, tfjs ${backend}`,
        ours: { seconds },
        ...(reference ? { reference } : {}),
        ...(backend === "wasm" ? { target: "≤ 3× PyTorch's time per step", ...(ratio !== undefined && !ctx.quick ? { met: ratio <= 3 } : {}) } : {}),
        notes: `${info.description}; ${n} timed step(s) after ${warmup} warm-up${ctx.quick ? "; quick run: not judged" : ""}`,
      });
    } finally {
      model.dispose();
    }
  }
  return rows;
}

export const trainSuite = {
  id: "train",
  description: "seconds per training step (forward, DiceFocal, backward, clipping, AdamW), batch 2, beside PyTorch CPU",
  async run(ctx) {
    const torchPy = await ctx.pythonWith(["torch", "numpy"]);
    if (!torchPy) ctx.log("python3 with torch is not available: no PyTorch reference");
    return [...(await runCase(ctx, CASES.tiny, torchPy)), ...(await runCase(ctx, CASES.small, torchPy))];
  },
} as const satisfies BenchSuite;
