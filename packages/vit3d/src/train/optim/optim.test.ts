import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initBackend } from "../../backend/init-backend.js";
import { TEST_BACKENDS } from "../../testing/backends.js";
import { trainRefs } from "../testing-refs.js";
import { AdamW } from "./adamw.js";
import { clipByGlobalNorm } from "./clip.js";
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

  for (const backend of TEST_BACKENDS) {
    it(`AdamW + clip_grad_norm_ steps match torch on ${backend}`, async () => {
      await initBackend(backend, { threads: 1 });
      const before = tf.memory().numTensors;
      const w = tf.tidy(() => tf.variable(tf.tensor2d(refs.w0), true, `w-${backend}`));
      const b = tf.tidy(() => tf.variable(tf.tensor1d(refs.b0), true, `b-${backend}`));
      const opt = new AdamW([{ name: "w", variable: w, decay: true }, { name: "b", variable: b, decay: false }], { weightDecay: refs.weight_decay });
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

  it("a restored optimizer continues exactly like the original", () => {
    const mk = (tag: string) => tf.variable(tf.tensor1d([1, -2, 3]), true, `p-${tag}`);
    const a = mk("a");
    const b = mk("b");
    const oa = new AdamW([{ name: "p", variable: a, decay: true }]);
    const g = () => tf.tensor1d([0.3, -0.1, 0.7]);
    for (let i = 0; i < 3; i++) tf.tidy(() => oa.apply([g()], 0.01));
    b.assign(a);
    const ob = new AdamW([{ name: "p", variable: b, decay: true }]);
    ob.setState(oa.getState());
    for (let i = 0; i < 2; i++) tf.tidy(() => (oa.apply([g()], 0.02), ob.apply([g()], 0.02)));
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(() => ob.setState({ step: 3, tensors: new Map() }, "state.safetensors")).toThrow('state.safetensors: missing "exp_avg.p"');
    oa.dispose();
    ob.dispose();
    tf.dispose([a, b]);
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
