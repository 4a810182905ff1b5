import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Checked-in reference values written by `__fixtures__/gen_train_refs.py` (PyTorch). */
export const TRAIN_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "__fixtures__");

export interface TrainRefs {
  readonly torch: string;
  readonly losses: {
    readonly logits_nchw: number[];
    readonly shape_nchw: [number, number, number, number];
    readonly target: number[];
    readonly values: Record<string, number>;
    readonly grads_nchw: Record<string, number[]>;
  };
  readonly adamw: {
    readonly lr: number;
    readonly weight_decay: number;
    readonly warmup: number;
    readonly total: number;
    readonly w0: number[][];
    readonly b0: number[];
    readonly steps: { grad_w: number[]; grad_b: number[]; norm: number; lr: number; w: number[]; b: number[]; exp_avg_w: number[]; exp_avg_sq_w: number[] }[];
  };
}

export function trainRefs(): TrainRefs {
  return JSON.parse(readFileSync(join(TRAIN_FIXTURES, "train_refs.json"), "utf8")) as TrainRefs;
}
