import { describe, expect, it } from "vitest";
import { type TensorEntry } from "../tensor.js";
import { testAdapter } from "../testing/index.js";
import { dinoAdapter } from "./dino.js";
import { fixture, noFixtures, ramp, renameAll } from "./fixture-maps.test-helper.js";

const vit2d = fixture("vit2d.safetensors");
const skip = noFixtures ? { skip: noFixtures } : {};
const head: [string, TensorEntry][] = [
  ["head.mlp.0.weight", ramp([8, 64])],
  ["head.mlp.0.bias", ramp([8])],
  ["head.mlp.2.weight", ramp([8, 8])],
  ["head.last_layer.weight_g", ramp([16, 1])],
  ["head.last_layer.weight_v", ramp([16, 8])],
];

// a DDP-wrapped student: module.backbone.* + module.head.*
const student = renameAll(vit2d, (k) => `module.backbone.${k}`);
for (const [k, e] of head) student.set(`module.${k}`, e);
testAdapter(dinoAdapter, { name: "student (module.backbone. + projection head)", source: student, expected: vit2d, ...skip });

// a teacher: backbone.* + head.*
const teacher = renameAll(vit2d, (k) => `backbone.${k}`);
for (const [k, e] of head) teacher.set(k, e);
testAdapter(dinoAdapter, { name: "teacher (backbone. + projection head)", source: teacher, expected: vit2d, ...skip });

describe("dino", () => {
  it("leaves plain timm names (the released backbone weights) to timm-vit", () => {
    expect(dinoAdapter.detect(["cls_token", "blocks.0.attn.qkv.weight"])).toBe(false);
  });
});
