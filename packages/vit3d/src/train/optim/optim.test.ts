import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initBackend } from "../../backend/init-backend.js";
import { TEST_BACKENDS } from "../../testing/backends.js";
import { trainRefs } from "../testing-refs.js";
import { AdamW } from "./adamw.js";
import { adamwCoefficients, adamwUpdateHost } from "./adamw-host.js";
import { clipByGlobalNorm, clipCoefficient, globalNormHost } from "./clip.js";
import { noDecayNames } from "./no-decay.js";
import { linearWarmupDecay } from "./schedule.js";

// Expected values: __fixtures__/train_refs.json from gen_train_refs.py: torch.optim.AdamW
// (betas 0.9/0.999, eps 1e-8, weight decay 0.05 on "w", none on the bias "b"), lr 0.1 with
// LambdaLR(get_linear_schedule_with_warmup: 2 warm-up steps, 5 in total) and
// clip_grad_norm_(1.0) before each of the 5 steps. Tolerance: 1e-6 absolute (float32).
const refs = trainRefs().adamw;

describe("optimizer pieces against PyTorch", () => {
  it("the linear warm-up/decay schedule gives torch's learning rates", () => {
    refs.steps.forEach((s, i) => expect(linearWarmupDecay(i, { lr: refs.lr, warmup: refs.warmup, total: refs.total })).toBeCloseTo(s.lr, 12));
    expect(linearWarmupDecay(refs.total + 3, { lr: 1, warmup: 2, total: refs.total })).toBe(0);
  });

  for (const backend of TEST_BACKENDS) for (const placement of ["host", "backend"] as const) {
    it(`AdamW + clip_grad_norm_ steps match torch on ${backend}, update on the ${placement}`, async () => {
      await initBackend(backend, { threads: 1 });
      const before = tf.memory().numTensors;
      const w = tf.tidy(() => tf.variable(tf.tensor2d(refs.w0), true, `w-${backend}-${placement}`));
      const b = tf.tidy(() => tf.variable(tf.tensor1d(refs.b0), true, `b-${backend}-${placement}`));
      const opt = new AdamW([{ name: "w", variable: w, decay: true }, { name: "b", variable: b, decay: false }], { weightDecay: refs.weight_decay, placement });
      expect(opt.onHost()).toBe(placement === "host");
      refs.steps.forEach((s, i) => {
        const grads = [tf.tensor2d(s.grad_w, [2, 3]), tf.tensor1d(s.grad_b)];
        const clipped = clipByGlobalNorm(grads, 1);
        expect(clipped.norm).toBeCloseTo(s.norm, 5);
        opt.apply(clipped.grads, linearWarmupDecay(i, refs));
        tf.dispose([...grads, ...clipped.grads]);
        Array.from(w.dataSync()).forEach((v, j) => expect(Math.abs(v - s.w[j]!)).toBeLessThan(1e-6));
        Array.from(b.dataSync()).forEach((v, j) => expect(Math.abs(v - s.b[j]!)).toBeLessThan(1e-6));
      });
      const state = opt.getState();
      expect(state.step).toBe(refs.steps.length);
      const last = refs.steps.at(-1)!;
      Array.from(state.tensors.get("exp_avg.w")!.read() as Float32Array).forEach((v, j) => expect(Math.abs(v - last.exp_avg_w[j]!)).toBeLessThan(1e-6));
      Array.from(state.tensors.get("exp_avg_sq.w")!.read() as Float32Array).forEach((v, j) => expect(Math.abs(v - last.exp_avg_sq_w[j]!)).toBeLessThan(1e-6));
      opt.dispose();
      tf.dispose([w, b]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  for (const placement of ["host", "backend"] as const) it(`a restored optimizer continues exactly like the original (update on the ${placement})`, () => {
    const mk = (tag: string) => tf.variable(tf.tensor1d([1, -2, 3]), true, `p-${tag}-${placement}`);
    const a = mk("a");
    const b = mk("b");
    const oa = new AdamW([{ name: "p", variable: a, decay: true }], { placement });
    const g = () => tf.tensor1d([0.3, -0.1, 0.7]);
    for (let i = 0; i < 3; i++) tf.tidy(() => oa.apply([g()], 0.01));
    b.assign(a);
    const ob = new AdamW([{ name: "p", variable: b, decay: true }], { placement });
    ob.setState(oa.getState());
    for (let i = 0; i < 2; i++) tf.tidy(() => (oa.apply([g()], 0.02), ob.apply([g()], 0.02)));
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(() => ob.setState({ step: 3, tensors: new Map() }, "state.safetensors")).toThrow('state.safetensors: missing "exp_avg.p"');
    oa.dispose();
    ob.dispose();
    tf.dispose([a, b]);
  });

  it("one host update equals the formula written out (decoupled decay, bias correction, scaled gradient)", () => {
    const o = { beta1: 0.8, beta2: 0.9, eps: 1e-3, weightDecay: 0.5 };
    const p = Float32Array.of(1, -2, 0.5);
    const g = Float32Array.of(0.4, -0.2, 0);
    const m = Float32Array.of(0.1, 0, -0.3);
    const v = Float32Array.of(0.04, 0.01, 0.02);
    const [lr, t, scale] = [0.1, 3, 0.5];
    const c = adamwCoefficients(o, lr, t);
    const out = adamwUpdateHost(p, g, scale, m, v, c);
    [0, 1, 2].forEach((i) => {
      const gi = [0.4, -0.2, 0][i]! * scale;
      const mi = 0.8 * [0.1, 0, -0.3][i]! + 0.2 * gi;
      const vi = 0.9 * [0.04, 0.01, 0.02][i]! + 0.1 * gi * gi;
      const want = [1, -2, 0.5][i]! * (1 - lr * 0.5) - (lr / (1 - 0.8 ** t)) * mi / (Math.sqrt(vi) / Math.sqrt(1 - 0.9 ** t) + 1e-3);
      expect(out[i]).toBeCloseTo(want, 6);
      expect(m[i]).toBeCloseTo(mi, 7);
      expect(v[i]).toBeCloseTo(vi, 7);
    });
    expect(Array.from(p)).toEqual([1, -2, 0.5]); // the parameter array is only read
    expect(() => adamwUpdateHost(p, g.subarray(1), 1, m, v, c)).toThrow("adamwUpdateHost: lengths differ (param 3, grad 2, m 3, v 3, out 3)");
    expect(() => adamwCoefficients(o, lr, 0)).toThrow("AdamW: step must be ≥ 1, got 0");
  });

  it("the clip coefficient and the host norm follow clip_grad_norm_", () => {
    expect(clipCoefficient(0.5, 1)).toBe(1);
    expect(clipCoefficient(4, 1)).toBeCloseTo(1 / (4 + 1e-6), 12);
    expect(clipCoefficient(Number.NaN, 1)).toBe(1);
    expect(clipCoefficient(Number.POSITIVE_INFINITY, 1)).toBe(0);
    expect(globalNormHost([Float32Array.of(3, 0), Float32Array.of(4)])).toBe(5);
    expect(globalNormHost([Float32Array.of(3, 0), Float32Array.of(4)], -0.5)).toBe(2.5);
    expect(globalNormHost([])).toBe(0);
  });

  it("clipping leaves gradients below the threshold unchanged", () => {
    const g = [tf.tensor1d([0.3, 0.4])];
    const r = clipByGlobalNorm(g, 1);
    expect(r.norm).toBeCloseTo(0.5, 6);
    expect(Array.from(r.grads[0]!.dataSync())).toEqual(Array.from(g[0]!.dataSync()));
    tf.dispose([...g, ...r.grads]);
  });

  it("no weight decay on biases, norms, tokens, position tables, layer scale", () => {
    const names = [
      "encoder.cls_token", "encoder.pos_embed", "encoder.patch_embed.proj.weight", "encoder.patch_embed.proj.bias",
      "encoder.blocks.0.norm1.weight", "encoder.blocks.0.norm2.bias", "encoder.blocks.0.attn.qkv.weight", "encoder.blocks.0.attn.q_bias",
      "encoder.blocks.0.attn.v_bias", "encoder.blocks.0.attn.relative_position_bias_table", "encoder.blocks.0.gamma_1",
      "encoder.blocks.0.mlp.fc1.weight", "decoder.fpn1.0.weight", "decoder.fpn1.1.weight", "decoder.fpn1.1.running_mean",
      "decoder.bottleneck.conv.weight", "decoder.bottleneck.bn.weight", "decoder.bottleneck.bn.running_mean", "decoder.conv_seg.weight", "decoder.conv_seg.bias",
    ];
    const decayed = names.filter((n) => !noDecayNames(names).has(n) && !n.includes("running"));
    expect(decayed).toEqual(["encoder.patch_embed.proj.weight", "encoder.blocks.0.attn.qkv.weight", "encoder.blocks.0.mlp.fc1.weight", "decoder.fpn1.0.weight", "decoder.bottleneck.conv.weight", "decoder.conv_seg.weight"]);
  });
});
