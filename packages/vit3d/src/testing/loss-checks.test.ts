import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { builtinLosses } from "../train/losses/registry.js";
import type { SegLoss } from "../train/losses/types.js";
import { TEST_BACKENDS, useTestBackend } from "./backends.js";
import { checkLoss, checkLossDeclaration, checkLossGradient, checkLossOrder, checkLossValue } from "./loss-checks.js";

for (const backend of TEST_BACKENDS) {
  describe(`loss conformance on ${backend}`, () => {
    beforeAll(() => useTestBackend(backend));
    for (const loss of Object.values(builtinLosses) as SegLoss[]) it(`${loss.id} passes the kit`, () => checkLoss(loss));
  });
}

describe("the loss kit catches defects", () => {
  beforeAll(() => useTestBackend("cpu"));
  const base = builtinLosses["dice-ce"] as SegLoss;
  it("a bad id, no description, no compute", () => {
    expect(() => checkLossDeclaration({ ...base, id: "Dice CE" })).toThrow(/loss id "Dice CE" must be lower-case kebab-case/);
    expect(() => checkLossDeclaration({ ...base, description: " " })).toThrow(/needs a description/);
    expect(() => checkLossDeclaration({ id: "x", description: "y" } as never)).toThrow(/has no compute function/);
  });
  it("a loss per pixel instead of a scalar, a leaking loss, a random one", () => {
    expect(() => checkLossValue({ ...base, compute: (l) => tf.sum(l, 3) as never })).toThrow(/must return a scalar tensor, got shape \[2, 4, 5\]/);
    let kept: tf.Tensor | null = null;
    expect(() => checkLossValue({ ...base, compute: (l, t) => { kept = tf.keep(tf.ones([2])); return base.compute(l, t); } })).toThrow(/leaves 2 tensor\(s\) behind/);
    tf.dispose(kept!);
    let calls = 0;
    expect(() => checkLossValue({ ...base, compute: (l, t) => tf.add(base.compute(l, t), calls++) as tf.Scalar })).toThrow(/differs between two calls/);
  });
  it("a loss through an argmax (no gradient), and one that rewards wrong predictions", () => {
    expect(() => checkLossGradient({ ...base, compute: (l, t) => tf.mean(tf.cast(tf.notEqual(tf.argMax(l, 3), t), "float32")) as tf.Scalar })).toThrow(/"dice-ce" is not differentiable in the logits: /);
    expect(() => checkLossGradient({ ...base, compute: (l) => tf.mul(tf.sum(l), 0) as tf.Scalar })).toThrow(/zero everywhere/);
    expect(() => checkLossOrder({ ...base, compute: (l, t) => tf.neg(base.compute(l, t)) as tf.Scalar })).toThrow(/a correct prediction scores .*, not lower than a wrong one/);
  });
});
