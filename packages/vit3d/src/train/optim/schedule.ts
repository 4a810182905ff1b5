/** Learning-rate schedule: linear warm-up from 0, then linear decay to 0 at `total` steps. */
export interface LinearScheduleOptions {
  readonly lr: number;
  readonly warmup: number;
  readonly total: number;
}

/**
 * The learning rate of optimizer step `step` (0-based), as Hugging Face's
 * `get_linear_schedule_with_warmup` + `LambdaLR` give it (TransSeg's schedule):
 * `lr · step / warmup` during warm-up (so step 0 has lr 0), then `lr · (total − step) / (total − warmup)`.
 */
export function linearWarmupDecay(step: number, o: LinearScheduleOptions): number {
  if (step < o.warmup) return (o.lr * step) / Math.max(1, o.warmup);
  return o.lr * Math.max(0, (o.total - step) / Math.max(1, o.total - o.warmup));
}
