/**
 * A performance suite: one file each under `suites/`, registered in `suites/index.ts`.
 * `transseg-bench perf` runs them and prints one table of ratios measured in the same run.
 */
export interface BenchContext {
  /** A scratch folder that is removed after the run. */
  readonly tmpDir: string;
  /** `python3` when it imports the modules a reference needs, else null (see `pythonWith`). */
  pythonWith(modules: readonly string[]): Promise<string | null>;
  /** Absolute path of the parity fixtures folder, or null when absent. */
  readonly fixtures: string | null;
  /** Smaller sizes for a smoke run (`--quick`). */
  readonly quick: boolean;
  log(message: string): void;
}

export interface Measurement {
  readonly seconds: number;
  readonly peakRssBytes?: number;
}

export interface BenchResult {
  /** What was measured, e.g. "inflate ViT-B .pth (344 MB)". */
  readonly name: string;
  readonly ours: Measurement;
  /** The same job done by the reference (PyTorch, scipy, nibabel …) in the same run, if present. */
  readonly reference?: Measurement & { readonly label: string };
  /** The target as text, e.g. "time ≤ 0.5× PyTorch". */
  readonly target?: string;
  /** Whether the target was met (undefined when no reference ran). */
  readonly met?: boolean;
  /** Extra facts: identical values, sizes, backend used. */
  readonly notes?: string;
}

export interface BenchSuite {
  readonly id: string;
  readonly description: string;
  run(ctx: BenchContext): Promise<BenchResult[]>;
}
