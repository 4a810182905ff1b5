import { existsSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { execFileSync } from "node:child_process";
import { runMeasured, type MeasuredRun } from "../measure.js";
import type { BenchResult, BenchSuite } from "../suite.js";
import { sharedDir } from "@transseg/weights/testing/shared-dir"; // without vitest (unlike the testing entry)

const REF_DIR = sharedDir("ref");
const CLI = resolve(import.meta.dirname, "../../../cli/dist/bin.js");

/** A timm ViT-B/16 (224 px, 1000 classes) state dict, random values, saved with torch.save. */
const MAKE_VIT_B = `
import sys, torch
g = torch.Generator().manual_seed(0)
d, depth, mlp = 768, 12, 3072
def r(*s): return torch.randn(*s, generator=g) * 0.02
sd = {"cls_token": r(1, 1, d), "pos_embed": r(1, 197, d),
      "patch_embed.proj.weight": r(d, 3, 16, 16), "patch_embed.proj.bias": r(d)}
for i in range(depth):
    p = f"blocks.{i}."
    sd.update({p + "norm1.weight": 1 + r(d), p + "norm1.bias": r(d),
               p + "attn.qkv.weight": r(3 * d, d), p + "attn.qkv.bias": r(3 * d),
               p + "attn.proj.weight": r(d, d), p + "attn.proj.bias": r(d),
               p + "norm2.weight": 1 + r(d), p + "norm2.bias": r(d),
               p + "mlp.fc1.weight": r(mlp, d), p + "mlp.fc1.bias": r(mlp),
               p + "mlp.fc2.weight": r(d, mlp), p + "mlp.fc2.bias": r(d)})
sd.update({"norm.weight": 1 + r(d), "norm.bias": r(d), "head.weight": r(1000, d), "head.bias": r(1000)})
torch.save({"model": sd}, sys.argv[1])
`;

/** The reference conversion, whole process: torch.load + inflate_state_dict + save_safetensors. */
const REF_INFLATE = `
import sys, torch
sys.path.insert(0, sys.argv[3])
from transseg_ref import inflate_state_dict, save_safetensors
sd = torch.load(sys.argv[1], map_location="cpu")["model"]
out = inflate_state_dict(sd, depth=5, strategy="center", in_channels=1, src_grid=(14, 14), dst_grid=(32, 32), grid_d=1)
save_safetensors(sys.argv[2], out)
`;

/** The run with the median wall time. */
function median(runs: readonly MeasuredRun[]): MeasuredRun {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
}

export const inflateSuite = {
  id: "inflate",
  description: "inflate a ViT-B/16 .pth (86 M parameters) to 3D at 512x512, window 5: time and peak RSS",
  async run(ctx) {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'pnpm build' first`);
    const torchPy = await ctx.pythonWith(["torch", "numpy"]);
    if (!torchPy) {
      ctx.log("python3 with torch is not available: no ViT-B .pth can be generated for this suite");
      return [];
    }
    const input = join(ctx.tmpDir, "vit_b16.pth");
    writeFileSync(join(ctx.tmpDir, "make.py"), MAKE_VIT_B);
    writeFileSync(join(ctx.tmpDir, "ref.py"), REF_INFLATE);
    ctx.log("generating the ViT-B checkpoint with torch.save …");
    await runMeasured(torchPy, [join(ctx.tmpDir, "make.py"), input]);
    const size = statSync(input).size;
    const args = ["inflate", input, "-o", join(ctx.tmpDir, "ours.safetensors"), "--img", "512x512", "--window", "5", "--quiet"];
    // Alternate the two, flushing dirty pages before each run (a 350 MB write left in the page
    // cache slows whichever process runs next), and keep the median of each. Each run writes a
    // new file, as a conversion usually does (replacing a large file by rename makes ext4 flush
    // the new data first, for crash safety: that is disk speed, not conversion speed).
    const runs = ctx.quick ? 1 : 5;
    const oursRuns: MeasuredRun[] = [];
    const refRuns: MeasuredRun[] = [];
    for (let i = 0; i < runs; i++) {
      rmSync(join(ctx.tmpDir, "ours.safetensors"), { force: true });
      rmSync(join(ctx.tmpDir, "ref.safetensors"), { force: true });
      execFileSync("sync");
      ctx.log(`ours (${i + 1}/${runs}): transseg inflate …`);
      oursRuns.push(await runMeasured(process.execPath, [CLI, ...args]));
      execFileSync("sync");
      ctx.log(`reference (${i + 1}/${runs}): torch.load + inflate_state_dict + save_safetensors …`);
      refRuns.push(await runMeasured(torchPy, [join(ctx.tmpDir, "ref.py"), input, join(ctx.tmpDir, "ref.safetensors"), REF_DIR]));
    }
    const ours = median(oursRuns);
    const ref = median(refRuns);
    const timeRatio = ours.seconds / ref.seconds;
    const rssRatio = ours.peakRssBytes !== undefined ? ours.peakRssBytes / size : undefined;
    const result: BenchResult = {
      name: `inflate ViT-B .pth (${(size / 2 ** 20).toFixed(0)} MB), whole process, median of ${runs}`,
      ours: { seconds: ours.seconds, ...(ours.peakRssBytes !== undefined ? { peakRssBytes: ours.peakRssBytes } : {}) },
      reference: { label: "PyTorch", seconds: ref.seconds, ...(ref.peakRssBytes !== undefined ? { peakRssBytes: ref.peakRssBytes } : {}) },
      target: "time ≤ 0.5× PyTorch; peak RSS ≤ 1.5× file size",
      met: timeRatio <= 0.5 && (rssRatio === undefined || rssRatio <= 1.5),
      notes: rssRatio === undefined ? "peak RSS not measured (/usr/bin/time missing)" : `peak RSS = ${rssRatio.toFixed(2)}× file size`,
    };
    return [result];
  },
} as const satisfies BenchSuite;
