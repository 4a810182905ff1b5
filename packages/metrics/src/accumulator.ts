/** A MONAI-style accumulator: add cases one at a time, aggregate at the end. */
import { aggregate, type AggregateOptions } from "./aggregate.js";
import { computeCaseMetrics, type CaseMetricsOptions } from "./case-metrics.js";
import type { AggregateResult, CaseMetrics, LabelArray } from "./types.js";

export class MetricsAccumulator {
  readonly #cases: CaseMetrics[] = [];

  /** `classes`, when given, applies to every case (so absent classes count as undefined). */
  constructor(private readonly options: { readonly classes?: readonly number[] } = {}) {}

  /** Computes one case's metrics, keeps them and returns them. */
  add(pred: LabelArray, gt: LabelArray, options: CaseMetricsOptions): CaseMetrics {
    const classes = options.classes ?? this.options.classes;
    const result = computeCaseMetrics(pred, gt, classes === undefined ? options : { ...options, classes });
    this.#cases.push(result);
    return result;
  }

  /** Keeps metrics computed elsewhere (e.g. in a worker). */
  push(result: CaseMetrics): void {
    this.#cases.push(result);
  }

  get size(): number {
    return this.#cases.length;
  }

  /** The cases so far, in the order they were added. */
  cases(): readonly CaseMetrics[] {
    return [...this.#cases];
  }

  aggregate(options: AggregateOptions = {}): AggregateResult {
    const classes = options.classes ?? this.options.classes;
    return aggregate(this.#cases, classes === undefined ? options : { ...options, classes });
  }

  reset(): void {
    this.#cases.length = 0;
  }
}
