/** Conformance check for ONNX decoder plugins (`@transseg/onnx/testing`). */
import type { TensorEntry } from "@transseg/weights";
import type { SegConfigInput } from "@transseg/model";
import type { OnnxDecoder } from "../decoder.js";
import { exportOnnx, planOnnxModel } from "../export.js";
import { createOnnxSession } from "../session.js";
import { syntheticCheckpoint } from "../synthetic.js";

/**
 * Exports `config` (whose `decoder.kind` is `decoder.id`) with random weights and checks the
 * plugin: every tensor `tensors()` declares is read by `build()`; the model runs in ONNX Runtime
 * at batch 1 and 2 with logits `[batch, classes, H, W]`, all finite; batch items are independent
 * (a batch of two equals the two single runs, to 1e-5 of the largest magnitude). Throws on failure.
 */
export async function checkOnnxDecoder(decoder: OnnxDecoder, config: SegConfigInput): Promise<void> {
  const decoders = { [decoder.id]: decoder };
  const plan = planOnnxModel(config, { decoders });
  const ckpt = syntheticCheckpoint(config, 5, { decoders });
  const read = new Set<string>();
  const tensors = new Map<string, TensorEntry>();
  for (const [k, e] of ckpt.tensors) tensors.set(k, { ...e, read: () => (read.add(k), e.read()) });
  const bytes = exportOnnx({ ...ckpt, tensors }, { decoders });
  const unread = plan.tensors.filter((s) => s.name.startsWith("decoder.") && !read.has(s.name)).map((s) => s.name);
  if (unread.length) throw new Error(`decoder "${decoder.id}" declares tensors that build() never reads: ${unread.join(", ")}`);
  const { encoder: e } = plan.config;
  const session = await createOnnxSession(bytes, { threads: 1 });
  try {
    const per = e.in_channels * e.window * e.img[0] * e.img[1];
    const x = Float32Array.from({ length: 2 * per }, (_, i) => Math.sin(i * 0.61) * 0.5 + 0.5);
    const both = await session.run(x, [2, e.in_channels, e.window, e.img[0], e.img[1]]);
    const want = [2, plan.config.classes, e.img[0], e.img[1]];
    if (both.shape.join() !== want.join()) throw new Error(`decoder "${decoder.id}": logits shape [${both.shape.join(", ")}], expected [${want.join(", ")}]`);
    if (!both.logits.every(Number.isFinite)) throw new Error(`decoder "${decoder.id}": non-finite logits`);
    const scale = both.logits.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
    const out = both.logits.length / 2;
    for (let b = 0; b < 2; b++) {
      const one = await session.run(x.slice(b * per, (b + 1) * per), [1, e.in_channels, e.window, e.img[0], e.img[1]]);
      for (let i = 0; i < out; i++) {
        if (Math.abs(one.logits[i]! - both.logits[b * out + i]!) > 1e-5 * scale) throw new Error(`decoder "${decoder.id}": batch item ${b} differs when run alone (batch items must be independent)`);
      }
    }
  } finally {
    await session.release();
  }
}
