import { CheckpointError, f32Entry, toFloat32, type TensorEntry, type TensorMap } from "@transseg/weights";
import { adaptInputChannels } from "./channel-adaptation.js";
import type { Grid2d } from "./grid.js";
import { planInflation, type InflateOptions, type InflationPlan, type ResolvedInflateOptions } from "./options.js";
import { resizePositionEmbedding } from "./position-embedding.js";
import { resizeRelativePositionBiasTable } from "./relative-position-bias.js";
import { kernel3dShape, type Kernel2dShape } from "./strategy.js";

export const PATCH_KERNEL = "patch_embed.proj.weight";
export const POS_EMBED = "pos_embed";
export const SHARED_BIAS_TABLE = "rel_pos_bias.relative_position_bias_table";
const BIAS_TABLE_SUFFIX = "relative_position_bias_table";
const BIAS_INDEX_SUFFIX = "relative_position_index";

/** A tensor the inflation reshaped (same name, new values). */
export interface TensorChange {
  readonly name: string;
  readonly from: readonly number[];
  readonly to: readonly number[];
  readonly note: string;
}

/** A tensor the inflation added (a shared bias table copied into a block) or dropped. */
export interface TensorNote {
  readonly name: string;
  readonly shape: readonly number[];
  readonly note: string;
}

export interface InflationReport {
  readonly options: ResolvedInflateOptions;
  /** Source 2D grid (from pos_embed or a bias table), null when the checkpoint has neither. */
  readonly sourceGrid: Grid2d | null;
  /** Target grid [Gd, Gh, Gw]. */
  readonly grid: readonly [number, number, number];
  /** Tensors with new values and shapes (old -> new shape). */
  readonly changed: readonly TensorChange[];
  /** Tensors the input did not have (per-block copies of a shared bias table). */
  readonly added: readonly TensorNote[];
  /** Input tensors left out (`relative_position_index` buffers, a shared bias table once copied). */
  readonly dropped: readonly TensorNote[];
  /** Unchanged float tensors stored as F16/BF16/F64, converted to F32 lazily on read. */
  readonly converted: readonly string[];
}

export interface InflationResult {
  readonly tensors: TensorMap;
  readonly report: InflationReport;
}

/** A lazy F32 view of a float entry (F32 entries are passed through as they are). */
function asF32(entry: TensorEntry): TensorEntry {
  if (entry.dtype === "F32" || !(entry.dtype === "F16" || entry.dtype === "BF16" || entry.dtype === "F64")) return entry;
  return { dtype: "F32", shape: entry.shape, read: () => toFloat32(entry) };
}

const blockIndex = /^blocks\.(\d+)\./;

/**
 * Inflates a 2D ViT/BEiT checkpoint (canonical timm/BEiT names, PyTorch layouts) to 3D (SPEC §2):
 * patch kernel `[O, Cin, P, P]` -> `[O, C, K, P, P]` (channel adaptation when Cin != C, then the
 * strategy), `pos_embed` and BEiT relative-position-bias tables resized to the target grid and
 * repeated over depth, a shared BEiT bias table copied into every block, `relative_position_index`
 * buffers dropped. Every other tensor is passed through unread (F16/BF16/F64 become lazy F32 views).
 * Pure: the input map is not modified. Errors are `CheckpointError(options.source, problem)`.
 */
export function inflateCheckpoint(map: TensorMap, options: InflateOptions = {}): InflationResult {
  const source = options.source ?? "checkpoint";
  let plan: InflationPlan;
  try {
    plan = planInflation(options);
  } catch (e) {
    throw new CheckpointError(source, (e as Error).message);
  }
  const fail = (name: string, problem: string): never => {
    throw new CheckpointError(source, `${name}: ${problem}`);
  };
  const guard = <T>(name: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof CheckpointError) throw e;
      return fail(name, (e as Error).message);
    }
  };

  const { depthGrid, grid } = plan;
  const o = plan.options;
  const changed: TensorChange[] = [];
  const added: TensorNote[] = [];
  const dropped: TensorNote[] = [];
  const converted: string[] = [];
  const out = new Map<string, TensorEntry>();
  let sourceGrid: Grid2d | null = null;
  const noteGrid = (name: string, g: Grid2d) => {
    if (sourceGrid && (sourceGrid[0] !== g[0] || sourceGrid[1] !== g[1])) {
      fail(name, `implies a ${g[0]}x${g[1]} source grid but another tensor implies ${sourceGrid[0]}x${sourceGrid[1]}`);
    }
    sourceGrid = g;
  };
  const resizeTable = (name: string, entry: TensorEntry): { entry: TensorEntry; note: string } =>
    guard(name, () => {
      const r = resizeRelativePositionBiasTable(toFloat32(entry), entry.shape, grid, depthGrid);
      noteGrid(name, r.sourceGrid);
      const note = `bias grid ${2 * r.sourceGrid[0] - 1}x${2 * r.sourceGrid[1] - 1} -> ${2 * grid[0] - 1}x${2 * grid[1] - 1} bicubic, tiled ${2 * depthGrid - 1}x over depth`;
      return { entry: f32Entry(r.shape, r.data), note };
    });

  const extraTokens = (map.has("cls_token") ? 1 : 0) + (map.has("dist_token") ? 1 : 0);
  const shared = map.get(SHARED_BIAS_TABLE);
  const blocks = new Set<number>();
  for (const name of map.keys()) {
    const m = blockIndex.exec(name);
    if (m) blocks.add(Number(m[1]));
  }
  if (!map.has(PATCH_KERNEL)) fail(PATCH_KERNEL, `missing (keys must use canonical timm/BEiT names; found ${[...map.keys()].slice(0, 5).join(", ")}${map.size > 5 ? ", …" : ""})`);

  for (const [name, entry] of map) {
    if (name === PATCH_KERNEL) {
      out.set(name, guard(name, () => inflatePatchKernel(entry, plan, changed, name)));
    } else if (name === POS_EMBED) {
      out.set(name, guard(name, () => {
        const r = resizePositionEmbedding(toFloat32(entry), entry.shape, { extraTokens, grid, depthGrid });
        noteGrid(name, r.sourceGrid);
        changed.push({ name, from: entry.shape, to: r.shape, note: `grid ${r.sourceGrid[0]}x${r.sourceGrid[1]} -> ${grid[0]}x${grid[1]} bicubic, repeated ${depthGrid}x over depth, ${extraTokens} extra token(s) first` });
        return f32Entry(r.shape, r.data);
      }));
    } else if (name === SHARED_BIAS_TABLE) {
      if (blocks.size === 0) fail(name, "a shared bias table but no blocks.N.* tensors to copy it into");
      dropped.push({ name, shape: entry.shape, note: `shared table, copied into ${blocks.size} blocks` });
    } else if (name.endsWith(BIAS_INDEX_SUFFIX)) {
      dropped.push({ name, shape: entry.shape, note: "index buffers are rebuilt from the grid, never stored" });
    } else if (name.endsWith(BIAS_TABLE_SUFFIX)) {
      if (shared) fail(name, `present together with a shared ${SHARED_BIAS_TABLE}: ambiguous`);
      const r = resizeTable(name, entry);
      changed.push({ name, from: entry.shape, to: r.entry.shape, note: r.note });
      out.set(name, r.entry);
    } else {
      const e = asF32(entry);
      if (e !== entry) converted.push(name);
      out.set(name, e);
    }
  }
  if (shared) {
    const table = resizeTable(SHARED_BIAS_TABLE, shared);
    for (const b of [...blocks].sort((a, z) => a - z)) {
      const name = `blocks.${b}.attn.${BIAS_TABLE_SUFFIX}`;
      out.set(name, table.entry);
      added.push({ name, shape: table.entry.shape, note: `copied from ${SHARED_BIAS_TABLE} [${shared.shape.join(", ")}]; ${table.note}` });
    }
  }
  const report: InflationReport = {
    options: o,
    sourceGrid,
    grid: [depthGrid, grid[0], grid[1]],
    changed,
    added,
    dropped,
    converted,
  };
  return { tensors: out, report };
}

function inflatePatchKernel(entry: TensorEntry, plan: InflationPlan, changed: TensorChange[], name: string): TensorEntry {
  const o = plan.options;
  if (entry.shape.length === 5) throw new Error(`already 3D [${entry.shape.join(", ")}]: this checkpoint is inflated`);
  if (entry.shape.length !== 4) throw new Error(`expected a Conv2d kernel [out, in, kh, kw], got [${entry.shape.join(", ")}]`);
  const shape = entry.shape as unknown as Kernel2dShape;
  if (shape[2] !== o.patch || shape[3] !== o.patch) throw new Error(`kernel is ${shape[2]}x${shape[3]} but the patch size is ${o.patch}`);
  const adapted = adaptInputChannels(toFloat32(entry), shape, o.inChannels);
  const data = plan.strategy.inflate(adapted.data, adapted.shape, o.patchDepth, o.strategyOptions);
  const to = kernel3dShape(adapted.shape, o.patchDepth);
  if (data.length !== to.reduce((a, b) => a * b, 1)) throw new Error(`strategy "${o.strategy}" returned ${data.length} values, [${to.join(", ")}] needs ${to.reduce((a, b) => a * b, 1)}`);
  const channels = shape[1] === o.inChannels ? "" : `channels ${shape[1]} -> ${o.inChannels} (sum, spread), `;
  changed.push({ name, from: entry.shape, to, note: `${channels}depth K=${o.patchDepth} (${o.strategy})` });
  return f32Entry(to, data);
}
