import * as tf from "@tensorflow/tfjs";

export interface MatMulBenchmarkOptions {
  /** `[m, k, n]`: an `m×k` by `k×n` product (default 1024×768×3072, a ViT-B MLP layer on 1024 tokens). */
  readonly shape?: readonly [number, number, number];
  /** Timed repetitions (default 5) after `warmup` untimed ones (default 2). */
  readonly repeats?: number;
  readonly warmup?: number;
}

export interface MatMulBenchmark {
  readonly backend: string;
  readonly shape: readonly [number, number, number];
  /** Median seconds per product (the result read back each time). */
  readonly seconds: number;
  /** 2·m·k·n / seconds / 10⁹. */
  readonly gflops: number;
}

/** Times `tf.matMul` on the active backend. */
export function benchmarkMatMul(options: MatMulBenchmarkOptions = {}): MatMulBenchmark {
  const shape = options.shape ?? [1024, 768, 3072];
  const [m, k, n] = shape;
  const a = tf.randomNormal([m, k]) as tf.Tensor2D;
  const b = tf.randomNormal([k, n]) as tf.Tensor2D;
  const run = (): number => {
    const start = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
    return (performance.now() - start) / 1000;
  };
  try {
    for (let i = 0; i < (options.warmup ?? 2); i++) run();
    const times = Array.from({ length: Math.max(1, options.repeats ?? 5) }, run).sort((x, y) => x - y);
    const seconds = times[Math.floor(times.length / 2)]!;
    return { backend: tf.getBackend(), shape, seconds, gflops: (2 * m * k * n) / seconds / 1e9 };
  } finally {
    a.dispose();
    b.dispose();
  }
}
