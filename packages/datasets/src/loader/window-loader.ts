import { availableParallelism } from "node:os";
import type { TaskProfile } from "../profiles/types.js";
import { createRng, deriveSeed, shuffle } from "../random/rng.js";
import type { AugmentationSpec } from "../transforms/transseg.js";
import { CaseCache, loadCase } from "./case-store.js";
import { augmentationOf, makeSample } from "./sample.js";
import type { LoaderCase, SampleConfig, SampleResult, SampleTask, WindowBatch } from "./types.js";
import { WorkerPool } from "./worker-pool.js";

export interface WindowLoaderOptions {
  readonly cases: readonly LoaderCase[];
  /** Supplies clip and channel count (and `img` unless given). */
  readonly profile: TaskProfile;
  /** Slices per window (odd, default 5). */
  readonly window?: number;
  /** Model input [H, W] (default: the profile's img). */
  readonly img?: readonly [number, number];
  /** Windows per batch. */
  readonly batch: number;
  /** Seed of the case order, slice choice and augmentation (default 0). */
  readonly seed?: number;
  /** Probability of drawing a window centred on a slice with foreground (default 0: uniform slices). */
  readonly foregroundProbability?: number;
  /** Worker threads (default: available cores − 1, at least 1, at most 4); 0 = in the calling thread. */
  readonly workers?: number;
  /** Batches computed ahead of the consumer (default 2). */
  readonly prefetch?: number;
  /** true / omitted = TransSeg's augmentation, false = none, or a partial spec. */
  readonly augment?: boolean | Partial<AugmentationSpec>;
  /**
   * Index of the first batch to deliver (default 0), e.g. the position of a resumed run. Batch i
   * is the same whatever `start`: the batches before it are skipped, not computed.
   */
  readonly start?: number;
  /** Stop after delivering this many batches, counted from `start` (default: never). */
  readonly batches?: number;
  /** Decoded-volume cache per worker in bytes (default 512 MiB; the current case is always kept). */
  readonly cacheBytes?: number;
}

export interface WindowLoader extends AsyncIterableIterator<WindowBatch> {
  /** Stops the workers; pending batches are dropped. Called automatically when a `for await` ends. */
  close(): Promise<void>;
}

/** The case every sample index draws: epochs visit all cases once, each in a seeded order. */
export function sampleTask(seed: number, index: number, cases: number): SampleTask {
  const epoch = Math.floor(index / cases);
  const order = shuffle(Array.from({ length: cases }, (_, i) => i), createRng(deriveSeed(seed, 1, epoch)));
  return { caseIndex: order[index % cases]!, seed: deriveSeed(seed, 2, index) };
}

/**
 * Streams training batches `{ image [B, C, D, H, W], label [B, H, W] }`. Decoding, preprocessing
 * and augmentation run in worker threads, `prefetch` batches ahead, each worker keeping a
 * bounded cache of decoded cases. Sample i is a pure function of (seed, i): batches are the same
 * for a seed whatever the number of workers or their timing.
 */
export function createWindowLoader(options: WindowLoaderOptions): WindowLoader {
  const { cases, profile, batch } = options;
  if (cases.length === 0) throw new Error("createWindowLoader: no cases");
  if (!(Number.isInteger(batch) && batch >= 1)) throw new Error(`createWindowLoader: batch must be a positive integer, got ${batch}`);
  const window = options.window ?? 5;
  if (!(Number.isInteger(window) && window >= 1 && window % 2 === 1)) throw new Error(`createWindowLoader: window must be odd, got ${window}`);
  const img = options.img ?? profile.img;
  const p = options.foregroundProbability ?? 0;
  if (!(p >= 0 && p <= 1)) throw new Error(`createWindowLoader: foregroundProbability must be in [0, 1], got ${p}`);
  const seed = options.seed ?? 0;
  const prefetch = Math.max(1, options.prefetch ?? 2);
  const start = options.start ?? 0;
  if (!(Number.isSafeInteger(start) && start >= 0)) throw new Error(`createWindowLoader: start must be a non-negative integer (a batch index), got ${start}`);
  const total = start + (options.batches ?? Infinity);
  const augment = options.augment ?? true;
  const config: SampleConfig = {
    cases: cases.map((c) => ({ image: c.image, label: c.label, ...(c.id === undefined ? {} : { id: c.id }) })),
    clip: profile.clip,
    channels: profile.channels,
    window,
    img: [img[0], img[1]],
    foregroundProbability: p,
    augment: augment === false ? null : augment === true ? {} : augment,
    cacheBytes: options.cacheBytes ?? 512 * 2 ** 20,
  };
  const workers = options.workers ?? Math.min(4, Math.max(1, availableParallelism() - 1));
  let run: (task: SampleTask) => Promise<SampleResult>;
  let stop: () => Promise<void>;
  if (workers > 0) {
    const pool = new WorkerPool(workers, config);
    run = (t) => pool.run(t);
    stop = () => pool.close();
  } else {
    const cache = new CaseCache(config.cacheBytes, (i) => loadCase(config.cases[i]!, config.clip, config.channels));
    const aug = augmentationOf(config);
    run = async (t) => makeSample(await cache.get(t.caseIndex), t.seed, config, aug);
    stop = async () => {};
  }

  const inFlight = new Map<number, Promise<WindowBatch>>();
  let nextToStart = start;
  let nextToYield = start;
  let closed = false;

  const startBatch = (index: number): Promise<WindowBatch> => {
    const tasks = Array.from({ length: batch }, (_, b) => sampleTask(seed, index * batch + b, cases.length));
    const result = Promise.all(tasks.map(run)).then((rs) => assemble(index, rs, tasks));
    // Batches dropped on close must not raise unhandled rejections; the consumer sees errors on next().
    result.catch(() => {});
    return result;
  };
  const fill = () => {
    while (!closed && nextToStart < total && nextToStart < nextToYield + prefetch) {
      inFlight.set(nextToStart, startBatch(nextToStart));
      nextToStart++;
    }
  };
  const assemble = (index: number, rs: SampleResult[], tasks: SampleTask[]): WindowBatch => {
    const C = profile.channels;
    const [H, W] = config.img;
    const per = C * window * H * W;
    const image = new Float32Array(batch * per);
    const label = new Int32Array(batch * H * W);
    rs.forEach((r, b) => {
      image.set(r.image, b * per);
      label.set(r.label, b * H * W);
    });
    return { index, image, label, shape: [batch, C, window, H, W], cases: tasks.map((t) => t.caseIndex), slices: rs.map((r) => r.z) };
  };
  const close = async () => {
    if (closed) return;
    closed = true;
    inFlight.clear();
    await stop();
  };

  const loader: WindowLoader = {
    async next(): Promise<IteratorResult<WindowBatch>> {
      if (closed || nextToYield >= total) {
        await close();
        return { done: true, value: undefined };
      }
      fill();
      const pending = inFlight.get(nextToYield)!;
      let value: WindowBatch;
      try {
        value = await pending;
      } catch (err) {
        await close();
        throw err;
      }
      inFlight.delete(nextToYield);
      nextToYield++;
      fill();
      return { done: false, value };
    },
    async return(): Promise<IteratorResult<WindowBatch>> {
      await close();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return loader;
    },
    close,
  };
  return loader;
}
