import { writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { basename, join } from "node:path";
import type { SegConfigInput } from "@transseg/vit3d";
import { runMeasured } from "../measure.js";
import type { BenchContext, BenchResult, BenchSuite } from "../suite.js";
import { sharedDir } from "@transseg/weights/testing/shared-dir"; // without vitest (unlike the testing entry)

const REF_DIR = sharedDir("ref");
/** The TensorFlow.js side runs in a child process per run (`train-step-child`, .ts from source, .js when built). */
const CHILD = join(import.meta.dirname, `train-step-child${basename(import.meta.filename).endsWith(".ts") ? ".ts" : ".js"}`);

/** Target of #15: wasm's median time per step ≤ 1.2 × PyTorch's, each at its best thread count. */
export const TARGET_RATIO = 1.2;

interface TrainCase {
  readonly label: string;
  readonly config: SegConfigInput;
  /**
   * Untimed warm-up steps before the timed ones, the same for PyTorch and TensorFlow.js: the first
   * steps of a run pay for JIT compilation and operator set-up (a tiny wasm step takes ~75 ms over
   * its first 10 steps, ~50 ms from then on); a training run's speed is the steady state.
   */
  readonly warmup: number;
  /** Timed steps per run (both engines). */
  readonly steps: number;
}

function seg(dim: number, depth: number, heads: number, img: number, layerIdxs: number[]): SegConfigInput {
  return {
    encoder: { kind: "beit", dim, depth, heads, mlp_ratio: 4, patch: 16, window: 5, in_channels: 1, img: [img, img] },
    decoder: { kind: "upernet", channels: dim, layer_idxs: layerIdxs },
    classes: 2,
  };
}

export const TRAIN_CASES = {
  tiny: { label: "tiny (BEiT dim 64, depth 4, 64x64x5, UPerNet 64)", config: seg(64, 4, 4, 64, [0, 1, 2, 3]), warmup: 10, steps: 20 },
  "vit-ti": { label: "ViT-Ti-like (BEiT dim 192, depth 6, 3 heads, 64x64x5, UPerNet 192)", config: seg(192, 6, 3, 64, [1, 2, 3, 5]), warmup: 3, steps: 5 },
  small: { label: "small (BEiT-small 384x12, 128x128x5, UPerNet 384)", config: seg(384, 12, 6, 128, [3, 5, 7, 11]), warmup: 2, steps: 3 },
} as const satisfies Record<string, TrainCase>;

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

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const lastJson = <T>(stdout: string): T => JSON.parse(stdout.trim().split("\n").pop()!) as T;

/** Median of each thread count's runs and the best of those. */
function best(runs: ReadonlyMap<number, number[]>): { threads: number; seconds: number; medians: string } {
  let top = { threads: 0, seconds: Infinity };
  const parts: string[] = [];
  for (const [threads, xs] of runs) {
    const m = median(xs);
    parts.push(`${threads} thread${threads === 1 ? "" : "s"} ${m < 1 ? `${(m * 1000).toFixed(1)} ms` : `${m.toFixed(2)} s`}`);
    if (m < top.seconds) top = { threads, seconds: m };
  }
  return { ...top, medians: parts.join(", ") };
}

/**
 * Interleaved runs: each round runs PyTorch and wasm at every thread count (1 and all cores), in
 * alternating order, each in a fresh process (wasm's threads are fixed at start-up), so load from
 * other processes hits both engines alike. Each engine's time is the median of its runs at its
 * best thread count.
 */
async function runCase(ctx: BenchContext, id: string, c: TrainCase, torchPy: string | null): Promise<BenchResult> {
  const rounds = ctx.quick ? 1 : 5;
  const warmup = ctx.quick ? 1 : c.warmup;
  const steps = ctx.quick ? 1 : c.steps;
  const threadCounts = [...new Set([1, availableParallelism()])];
  const script = join(ctx.tmpDir, "step.py");
  writeFileSync(script, TORCH_STEP);
  const wasmRuns = new Map<number, number[]>(threadCounts.map((t) => [t, []]));
  const torchRuns = new Map<number, number[]>(threadCounts.map((t) => [t, []]));
  const loadBefore = loadavg()[0]!;
  const descriptions = new Map<number, string>();
  for (let r = 0; r < rounds; r++) {
    for (const threads of r % 2 === 0 ? threadCounts : [...threadCounts].reverse()) {
      const engines = r % 2 === 0 ? (["torch", "wasm"] as const) : (["wasm", "torch"] as const);
      for (const engine of engines) {
        if (engine === "torch") {
          if (!torchPy) continue;
          const run = await runMeasured(torchPy, [script, REF_DIR, String(threads), JSON.stringify(c.config), String(steps), String(warmup)]);
          torchRuns.get(threads)!.push(lastJson<{ seconds_per_step: number }>(run.stdout).seconds_per_step);
        } else {
          const run = await runMeasured(process.execPath, [...process.execArgv, CHILD, JSON.stringify({ config: c.config, backend: "wasm", threads, warmup, steps })]);
          const out = lastJson<{ seconds_per_step: number; threads: number; description: string }>(run.stdout);
          if (out.threads !== threads) throw new Error(`train suite: asked wasm for ${threads} threads, it ran ${out.threads}`);
          wasmRuns.get(threads)!.push(out.seconds_per_step);
          descriptions.set(threads, out.description);
        }
      }
    }
    ctx.log(`${id}: round ${r + 1}/${rounds} done`);
  }
  const loadAfter = loadavg()[0]!;
  const ours = best(wasmRuns);
  const ref = torchPy ? best(torchRuns) : null;
  const ratio = ref ? ours.seconds / ref.seconds : undefined;
  return {
    name: `train step ${c.label}, batch 2, tfjs wasm`,
    ours: { seconds: ours.seconds },
    ...(ref ? { reference: { label: `PyTorch ${"1.13"} CPU (${ref.threads} thread${ref.threads === 1 ? "" : "s"}, best)`, seconds: ref.seconds } } : {}),
    target: `≤ ${TARGET_RATIO}× PyTorch's time per step (each engine at its best thread count)`,
    ...(ratio !== undefined && !ctx.quick ? { met: ratio <= TARGET_RATIO } : {}),
    notes:
      `${descriptions.get(ours.threads)}; medians of ${rounds} interleaved run(s) of ${steps} timed step(s) after ${warmup} warm-up: ` +
      `wasm ${ours.medians}${ref ? `; PyTorch ${ref.medians}` : ""}; 1-min load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after` +
      (ctx.quick ? "; quick run: not judged" : ""),
  };
}

export const trainSuite = {
  id: "train",
  description: "seconds per training step (forward, DiceFocal, backward, clipping, AdamW), batch 2, tiny / ViT-Ti-like / small, wasm beside PyTorch CPU, interleaved",
  async run(ctx) {
    const torchPy = await ctx.pythonWith(["torch", "numpy"]);
    if (!torchPy) ctx.log("python3 with torch is not available: no PyTorch reference");
    const only = process.env.TRANSSEG_BENCH_TRAIN_CASES?.split(",").filter(Boolean);
    const rows: BenchResult[] = [];
    for (const [id, c] of Object.entries(TRAIN_CASES)) if (!only || only.includes(id)) rows.push(await runCase(ctx, id, c, torchPy));
    return rows;
  },
} as const satisfies BenchSuite;
