import { createWindowLoader, type LoaderCase, type TaskProfile, type WindowBatch } from "@transseg/datasets";

export interface BatchStreamOptions {
  readonly cases: readonly LoaderCase[];
  readonly profile: TaskProfile;
  readonly window: number;
  readonly img: readonly [number, number];
  readonly batch: number;
  readonly seed: number;
  readonly foregroundProbability: number;
  readonly augment: boolean;
  readonly workers: number | null;
  /** Index of the first batch to deliver (the loader position of a resumed run). */
  readonly start: number;
}

/** Training batches from batch index `start` on. */
export interface BatchStream {
  next(): Promise<WindowBatch>;
  close(): Promise<void>;
}

/**
 * The window loader positioned at batch `start` (the loader's `start` option: nothing before it
 * is drawn). Batch i is a pure function of (seed, i), so a resumed run sees exactly the batches
 * an uninterrupted one would.
 */
export function openBatchStream(o: BatchStreamOptions): BatchStream {
  const loader = createWindowLoader({
    cases: o.cases,
    profile: o.profile,
    window: o.window,
    img: o.img,
    batch: o.batch,
    seed: o.seed,
    foregroundProbability: o.foregroundProbability,
    augment: o.augment,
    ...(o.workers === null ? {} : { workers: o.workers }),
    start: o.start,
  });
  let expected = o.start;
  return {
    async next(): Promise<WindowBatch> {
      const r = await loader.next();
      if (r.done) throw new Error("the window loader ended early");
      if (r.value.index !== expected) throw new Error(`the window loader delivered batch ${r.value.index}, expected ${expected}`);
      expected++;
      return r.value;
    },
    close: () => loader.close(),
  };
}
