import { hashSeed, mulberry32, type SegConfigInput } from "@transseg/model";
import type { RelativeBiasMode } from "./encoder-graph.js";
import { exportOnnx } from "./export.js";
import { createOnnxSession } from "./session.js";
import { syntheticCheckpoint } from "./synthetic.js";

/** BEiT-base (dim 768, depth 12, heads 12) + UPerNet (768 channels, blocks 3/5/7/11), 14 classes, 512×512×5. */
export const BEIT_BASE_UPERNET_512: SegConfigInput = Object.freeze({
  encoder: { kind: "beit", dim: 768, depth: 12, heads: 12, mlp_ratio: 4, patch: 16, window: 5, in_channels: 1, img: [512, 512] as const },
  decoder: { kind: "upernet", channels: 768, layer_idxs: [3, 5, 7, 11] },
  classes: 14,
});

export interface OnnxBenchmarkOptions {
  /** Model (default `BEIT_BASE_UPERNET_512`), random weights from `seed`. */
  readonly config?: SegConfigInput;
  readonly seed?: number;
  /** Batch sizes to time (default [1, 4]). */
  readonly batches?: readonly number[];
  /** Timed runs per batch size after one warm-up run (default 3); the median is reported. */
  readonly runs?: number;
  /** Intra-op threads (default: every core). */
  readonly threads?: number;
  readonly opset?: number;
  readonly relativeBias?: RelativeBiasMode;
  /**
   * Another implementation to time interleaved with ONNX Runtime (one of its runs after each
   * ONNX run, so both see the same machine load): resolves the wall seconds of one forward pass
   * of `batch` windows. `torchBaseline()` gives the PyTorch reference.
   */
  readonly baseline?: (batch: number) => Promise<number>;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

export interface OnnxBenchmarkBatch {
  readonly batch: number;
  /** Wall time of each timed run. */
  readonly seconds: readonly number[];
  readonly secondsPerSlice: number;
  readonly slicesPerSecond: number;
  /** The baseline's wall time of each run and seconds per slice (median), when one was given. */
  readonly baselineSeconds?: readonly number[];
  readonly baselineSecondsPerSlice?: number;
}

export interface OnnxBenchmarkResult {
  readonly exportSeconds: number;
  readonly modelBytes: number;
  readonly sessionSeconds: number;
  readonly threads: number;
  readonly batches: readonly OnnxBenchmarkBatch[];
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Inference speed of an exported model in onnxruntime-node (CPU): random `transseg-seg/1`
 * weights, export, session creation, then slices per second per batch size (one slice = one
 * window `[C, window, H, W]` → logits of its centre slice).
 */
export async function benchmarkOnnx(options: OnnxBenchmarkOptions = {}): Promise<OnnxBenchmarkResult> {
  const log = options.log ?? (() => {});
  const config = options.config ?? BEIT_BASE_UPERNET_512;
  const runs = options.runs ?? 3;
  let t = performance.now();
  const bytes = exportOnnx(syntheticCheckpoint(config, options.seed ?? 0), { opset: options.opset, relativeBias: options.relativeBias });
  const exportSeconds = (performance.now() - t) / 1000;
  log(`export: ${exportSeconds.toFixed(1)} s, ${(bytes.length / 2 ** 20).toFixed(0)} MiB`);
  t = performance.now();
  const session = await createOnnxSession(bytes, { threads: options.threads });
  const sessionSeconds = (performance.now() - t) / 1000;
  log(`session: ${sessionSeconds.toFixed(1)} s, ${session.threads} threads`);
  const [, c, d, h, w] = session.inputShape as [string, number, number, number, number];
  const batches: OnnxBenchmarkBatch[] = [];
  try {
    for (const batch of options.batches ?? [1, 4]) {
      const rand = mulberry32(hashSeed(1, `input${batch}`));
      const x = Float32Array.from({ length: batch * c * d * h * w }, rand);
      const shape = [batch, c, d, h, w];
      await session.run(x, shape);
      if (options.baseline) await options.baseline(batch);
      const seconds: number[] = [];
      const base: number[] = [];
      for (let r = 0; r < runs; r++) {
        const t0 = performance.now();
        await session.run(x, shape);
        seconds.push((performance.now() - t0) / 1000);
        if (options.baseline) base.push(await options.baseline(batch));
      }
      const perSlice = median(seconds) / batch;
      const basePerSlice = base.length ? median(base) / batch : undefined;
      batches.push({ batch, seconds, secondsPerSlice: perSlice, slicesPerSecond: 1 / perSlice, ...(basePerSlice === undefined ? {} : { baselineSeconds: base, baselineSecondsPerSlice: basePerSlice }) });
      const vs = basePerSlice === undefined ? "" : `; baseline ${basePerSlice.toFixed(3)} s/slice (${base.map((s) => s.toFixed(2)).join(", ")}), ONNX/baseline ${(perSlice / basePerSlice).toFixed(2)}x`;
      log(`batch ${batch}: ${perSlice.toFixed(3)} s/slice (${seconds.map((s) => s.toFixed(2)).join(", ")} s per run)${vs}`);
    }
  } finally {
    await session.release();
  }
  return { exportSeconds, modelBytes: bytes.length, sessionSeconds, threads: session.threads, batches };
}
