import * as tf from "@tensorflow/tfjs";
import { builtinEncoders, type EncoderConfigInput, normalizeSegConfig, type SegConfigInput } from "@transseg/model";
import type { Decoder } from "../decoders/decoder.js";
import { createSegmentationModel, loadSegmentationModel } from "../load.js";
import type { SegmentationModel } from "../model.js";

/**
 * Conformance checks for a decoder plugin (framework-agnostic: each throws an Error naming the
 * defect). Every decoder's test calls `checkDecoder` on each backend it supports.
 */
export interface DecoderCheckOptions {
  /** Decoder options besides `kind` (e.g. `{ channels: 8, layer_idxs: [0, 1, 1, 1] }`). */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Encoder kind of the small test model (default `beit`; `swin` for a `hierarchical` head). */
  readonly encoderKind?: string;
  /**
   * Overrides of the small test encoder (dim 16, depth 2, heads 2, img 32x64, window 3,
   * 2 channels), e.g. `{ window: 9, patch_depth: 3 }` for a head that needs Gd > 1.
   */
  readonly encoder?: Partial<EncoderConfigInput>;
  /** Skip `checkGradients` (e.g. on a backend that lacks a gradient kernel). */
  readonly skipGradients?: boolean;
}

function smallConfig(decoder: Decoder, o: DecoderCheckOptions): SegConfigInput {
  // a hierarchical head (upernet-swint) sits on a tiny Swin: stage maps 8x16, 4x8, 2x4, 1x2
  const encoder = decoder.hierarchical
    ? { kind: o.encoderKind ?? "swin", embed_dim: 8, depths: [1, 1, 1, 1], heads: [1, 1, 2, 2], img: [32, 64] as [number, number], window: 3, in_channels: 2, ...o.encoder }
    : { kind: o.encoderKind ?? "beit", dim: 16, depth: 2, heads: 2, img: [32, 64] as [number, number], window: 3, in_channels: 2, ...o.encoder };
  return {
    encoder: encoder as SegConfigInput["encoder"],
    decoder: { kind: decoder.id, ...o.options },
    classes: 3,
  };
}

function build(decoder: Decoder, o: DecoderCheckOptions, seed: number): SegmentationModel {
  return createSegmentationModel(smallConfig(decoder, o), { seed, decoders: { [decoder.id]: decoder }, encoders: builtinEncoders });
}

/** `[2, C, window, H, W]` of the small test encoder. */
function inputShape(decoder: Decoder, o: DecoderCheckOptions): [number, number, number, number, number] {
  const e = normalizeSegConfig(smallConfig(decoder, o)).encoder;
  return [2, e.in_channels, e.window, e.img[0], e.img[1]];
}

const input = (decoder: Decoder, o: DecoderCheckOptions) => tf.randomUniform(inputShape(decoder, o), 0, 1, "float32", 1) as tf.Tensor5D;

export function checkDeclaration(decoder: Decoder): void {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(decoder.id)) throw new Error(`decoder id "${decoder.id}" must be lower-case kebab-case`);
  if (!decoder.description.trim()) throw new Error(`decoder "${decoder.id}" needs a description`);
}

/** Unique names, shapes that fit their layouts, BatchNorm running statistics not trainable. */
export function checkParams(decoder: Decoder, o: DecoderCheckOptions = {}): void {
  const m = build(decoder, o, 0);
  try {
    const seen = new Set<string>();
    for (const [name, p] of m.params.entries()) {
      if (seen.has(name)) throw new Error(`parameter "${name}" is declared twice`);
      seen.add(name);
      const rank = { plain: -1, linear: 2, conv2d: 4, "conv-transpose-2d": 4, patch: 5 }[p.spec.layout];
      if (rank > 0 && p.spec.shape.length !== rank) throw new Error(`parameter "${name}" has layout ${p.spec.layout} but rank ${p.spec.shape.length}`);
      if (/running_(mean|var)$/.test(name) && p.spec.trainable) throw new Error(`BatchNorm statistic "${name}" must not be trainable`);
      if (!name.startsWith("encoder.") && !name.startsWith("decoder.")) throw new Error(`parameter "${name}" is outside encoder./decoder.`);
    }
  } finally {
    m.dispose();
  }
}

/** `[B, classes, H, W]` finite logits in inference and training mode; no tensors leak. */
export function checkForward(decoder: Decoder, o: DecoderCheckOptions = {}): void {
  const m = build(decoder, o, 0);
  const x = input(decoder, o);
  try {
    tf.dispose(m.forward(x));
    const before = tf.memory().numTensors;
    for (const training of [false, true]) {
      const y = m.forward(x, { training });
      const shape = y.shape.join(",");
      const finite = (y.dataSync() as Float32Array).every(Number.isFinite);
      y.dispose();
      const [n, , , h, w] = x.shape;
      const want = [n, 3, h, w].join(",");
      if (shape !== want) throw new Error(`decoder "${decoder.id}" returned [${shape}] for a [${x.shape.join(", ")}] input (training ${training}), expected [${want.split(",").join(", ")}]`);
      if (!finite) throw new Error(`decoder "${decoder.id}" returned non-finite logits (training ${training})`);
    }
    if (tf.memory().numTensors !== before) throw new Error(`decoder "${decoder.id}" leaked ${tf.memory().numTensors - before} tensors in forward`);
  } finally {
    x.dispose();
    m.dispose();
  }
}

/** Same seed → same values; another seed → different values (decoder tensors). */
export function checkSeededInit(decoder: Decoder, o: DecoderCheckOptions = {}): void {
  const [a, b, c] = [build(decoder, o, 1), build(decoder, o, 1), build(decoder, o, 2)];
  try {
    const [ma, mb, mc] = [a, b, c].map((m) => m.toTensorMap());
    let differs = false;
    for (const [name, e] of ma!) {
      if (!name.startsWith("decoder.")) continue;
      const va = e.read();
      const vb = mb!.get(name)!.read();
      if (!va.every((v, i) => v === vb[i])) throw new Error(`decoder "${decoder.id}": "${name}" differs between two models with the same seed`);
      const vc = mc!.get(name)!.read();
      if (!va.every((v, i) => v === vc[i])) differs = true;
    }
    if (!differs) throw new Error(`decoder "${decoder.id}": seeds 1 and 2 give identical decoder tensors`);
  } finally {
    [a, b, c].forEach((m) => m.dispose());
  }
}

/** toTensorMap → load gives the same tensors and the same logits. */
export async function checkRoundTrip(decoder: Decoder, o: DecoderCheckOptions = {}): Promise<void> {
  const m = build(decoder, o, 3);
  const map = m.toTensorMap();
  const copy = await loadSegmentationModel({ format: "memory", tensors: map, metadata: m.metadata() }, { name: "round trip", decoders: { [decoder.id]: decoder } });
  const x = input(decoder, o);
  try {
    for (const [name, e] of copy.toTensorMap()) {
      const want = map.get(name)!.read();
      if (!e.read().every((v, i) => v === want[i])) throw new Error(`decoder "${decoder.id}": "${name}" changed in a save/load round trip`);
    }
    const [ya, yb] = [m.forward(x), copy.forward(x)];
    const same = ya.dataSync().every((v, i) => v === yb.dataSync()[i]);
    tf.dispose([ya, yb]);
    if (!same) throw new Error(`decoder "${decoder.id}": logits differ after a save/load round trip`);
  } finally {
    x.dispose();
    m.dispose();
    copy.dispose();
  }
}

/** Every trainable decoder variable gets a finite, non-zero-somewhere gradient in training mode. */
export function checkGradients(decoder: Decoder, o: DecoderCheckOptions = {}): void {
  const m = build(decoder, o, 4);
  const x = input(decoder, o);
  const names = [...m.params.entries()].filter(([n, p]) => n.startsWith("decoder.") && p.spec.trainable).map(([n]) => n);
  const vars = names.map((n) => m.params.get(n));
  try {
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(m.forward(x, { training: true }))) as tf.Scalar, vars);
    value.dispose();
    try {
      for (const [i, v] of vars.entries()) {
        const g = grads[v.name];
        if (!g) throw new Error(`decoder "${decoder.id}": no gradient for "${names[i]}"`);
        const d = g.dataSync() as Float32Array;
        if (!d.every(Number.isFinite)) throw new Error(`decoder "${decoder.id}": non-finite gradient for "${names[i]}"`);
      }
    } finally {
      tf.dispose(Object.values(grads));
    }
  } finally {
    x.dispose();
    m.dispose();
  }
}

/** All checks, in order. */
export async function checkDecoder(decoder: Decoder, o: DecoderCheckOptions = {}): Promise<void> {
  checkDeclaration(decoder);
  checkParams(decoder, o);
  checkForward(decoder, o);
  checkSeededInit(decoder, o);
  await checkRoundTrip(decoder, o);
  if (!o.skipGradients) checkGradients(decoder, o);
}
