/**
 * The Swin / Video Swin architecture read from the tensor shapes of a canonical map (what
 * `transseg inspect` prints and the model loader can check a config against). Reads no values.
 */
import { LayoutError } from "../errors.js";
import type { TensorMap } from "../tensor.js";

export interface SwinShapeInfo {
  /** `swin` (2D Swin, possibly with an inflated Conv3d patch kernel) or `swin3d` (Video Swin: a 3D bias table). */
  readonly kind: "swin" | "swin3d";
  readonly embed_dim: number;
  readonly depths: readonly number[];
  readonly heads: readonly number[];
  /** Attention window: `[Wh, Ww]` for swin, `[Wd, Wh, Ww]` for swin3d. */
  readonly window_size: readonly number[];
  /** In-plane patch size (the kernel's last two sides, which must agree). */
  readonly patch: number;
  /** Depth of a Conv3d patch kernel (null for a 2D Conv2d kernel). */
  readonly patch_depth: number | null;
  readonly in_channels: number;
  readonly mlp_ratio: number;
  /** A LayerNorm after the patch embedding (`patch_embed.norm`). */
  readonly patch_norm: boolean;
  /** TransSeg's stage norms `norm0..norm{S-1}` present. */
  readonly stage_norms: boolean;
}

const shapeOf = (map: TensorMap, name: string, source: string): readonly number[] => {
  const e = map.get(name);
  if (!e) throw new LayoutError(`${source}: missing ${name}`);
  return e.shape;
};

const fmt = (s: readonly number[]) => `[${s.join(", ")}]`;

/** Contiguous indices 0..n-1 of a capture group over the keys; throws naming the gap. */
function countIndices(keys: readonly string[], re: RegExp, what: string, source: string): number {
  const seen = new Set<number>();
  for (const k of keys) {
    const m = re.exec(k);
    if (m) seen.add(Number(m[1]));
  }
  const n = seen.size ? Math.max(...seen) + 1 : 0;
  for (let i = 0; i < n; i++) if (!seen.has(i)) throw new LayoutError(`${source}: ${what} ${i} is missing (found ${[...seen].sort((a, b) => a - b).join(", ")})`);
  return n;
}

/** The odd side 2w-1 of a square table of `rows` rows, or null. */
function squareWindow(rows: number): number | null {
  const s = Math.round(Math.sqrt(rows));
  return s * s === rows && s % 2 === 1 ? (s + 1) / 2 : null;
}

/** `[Wd, w, w]` with (2Wd-1)(2w-1)^2 = rows, taking the largest such w >= 2 (square in-plane windows assumed). */
function cubeWindow(rows: number): [number, number, number] | null {
  for (let side = Math.floor(Math.sqrt(rows)); side >= 3; side--) {
    if (side % 2 === 0 || rows % (side * side) !== 0) continue;
    const d = rows / (side * side);
    if (d % 2 === 1) return [(d + 1) / 2, (side + 1) / 2, (side + 1) / 2];
  }
  return null;
}

/**
 * Infers the architecture from the shapes of canonical Swin tensors; a LayoutError (one line,
 * prefixed by `source`) names the first missing or inconsistent tensor.
 */
export function inferSwinConfig(map: TensorMap, source = "checkpoint"): SwinShapeInfo {
  const keys = [...map.keys()];
  const kernel = shapeOf(map, "patch_embed.proj.weight", source);
  if ((kernel.length !== 4 && kernel.length !== 5) || kernel.at(-1) !== kernel.at(-2)) {
    throw new LayoutError(`${source}: patch_embed.proj.weight is ${fmt(kernel)}, expected a square Conv2d [C, in, p, p] or Conv3d [C, in, pd, p, p] kernel`);
  }
  const embed = kernel[0]!;
  const stages = countIndices(keys, /^layers\.(\d+)\.blocks\./, "stage", source);
  if (stages === 0) throw new LayoutError(`${source}: no layers.N.blocks.M.* tensors`);
  const depths: number[] = [];
  const heads: number[] = [];
  let window: number[] | null = null;
  let kind: "swin" | "swin3d" | null = null;
  let mlpRatio = 0;
  for (let s = 0; s < stages; s++) {
    const dim = embed * 2 ** s;
    const esc = `layers\\.${s}\\.blocks\\.(\\d+)\\.`;
    const depth = countIndices(keys, new RegExp(`^${esc}`), `stage ${s} block`, source);
    depths.push(depth);
    for (let b = 0; b < depth; b++) {
      const at = `layers.${s}.blocks.${b}`;
      const qkv = shapeOf(map, `${at}.attn.qkv.weight`, source);
      if (qkv[0] !== 3 * dim || qkv[1] !== dim) throw new LayoutError(`${source}: ${at}.attn.qkv.weight is ${fmt(qkv)}, stage ${s} of embed ${embed} needs [${3 * dim}, ${dim}]`);
      const fc1 = shapeOf(map, `${at}.mlp.fc1.weight`, source);
      const ratio = fc1[0]! / dim;
      if (mlpRatio && ratio !== mlpRatio) throw new LayoutError(`${source}: ${at}.mlp.fc1.weight is ${fmt(fc1)}, mlp ratio ${ratio} but earlier blocks have ${mlpRatio}`);
      mlpRatio = ratio;
      const table = shapeOf(map, `${at}.attn.relative_position_bias_table`, source);
      if (table.length !== 2) throw new LayoutError(`${source}: ${at}.attn.relative_position_bias_table is ${fmt(table)}, expected [rows, heads]`);
      if (b === 0) heads.push(table[1]!);
      else if (table[1] !== heads[s]) throw new LayoutError(`${source}: ${at}.attn.relative_position_bias_table has ${table[1]} heads, block 0 of stage ${s} has ${heads[s]}`);
      if (dim % table[1]! !== 0) throw new LayoutError(`${source}: ${at} has ${table[1]} heads, which do not divide its width ${dim}`);
      const sq = squareWindow(table[0]!);
      const found: number[] | null = sq !== null ? [sq, sq] : cubeWindow(table[0]!);
      if (!found) throw new LayoutError(`${source}: ${at}.attn.relative_position_bias_table has ${table[0]} rows, which is neither (2W-1)^2 nor (2Wd-1)(2W-1)^2`);
      const k = found.length === 2 ? "swin" : "swin3d";
      if (window && (kind !== k || window.join() !== found.join())) {
        throw new LayoutError(`${source}: ${at}.attn.relative_position_bias_table implies window ${found.join("x")} but earlier blocks imply ${window.join("x")}`);
      }
      window = found;
      kind = k;
    }
    const merge = map.get(`layers.${s}.downsample.reduction.weight`);
    if (s < stages - 1) {
      if (!merge) throw new LayoutError(`${source}: missing layers.${s}.downsample.reduction.weight (the patch merging after stage ${s})`);
      if (merge.shape[0] !== 2 * dim || merge.shape[1] !== 4 * dim) throw new LayoutError(`${source}: layers.${s}.downsample.reduction.weight is ${fmt(merge.shape)}, stage ${s} needs [${2 * dim}, ${4 * dim}]`);
    } else if (merge) {
      throw new LayoutError(`${source}: layers.${s}.downsample.reduction.weight on the last stage (a timm >= 0.9 checkpoint read as Microsoft's? use --source timm-swin)`);
    }
  }
  if (kind === "swin3d" && kernel.length !== 5) throw new LayoutError(`${source}: 3D bias tables (window ${window!.join("x")}) but a 2D patch kernel ${fmt(kernel)}`);
  return {
    kind: kind!,
    embed_dim: embed,
    depths,
    heads,
    window_size: window!,
    patch: kernel.at(-1)!,
    patch_depth: kernel.length === 5 ? kernel[2]! : null,
    in_channels: kernel[1]!,
    mlp_ratio: mlpRatio,
    patch_norm: map.has("patch_embed.norm.weight"),
    stage_norms: Array.from({ length: stages }, (_, s) => map.has(`norm${s}.weight`)).every(Boolean),
  };
}

/** Ids of the built-in Swin layouts (whose canonical maps `inferSwinConfig` reads). */
export const SWIN_LAYOUTS: ReadonlySet<string> = new Set(["ms-swin", "timm-swin", "hf-swin", "torchvision-swin", "video-swin"]);
