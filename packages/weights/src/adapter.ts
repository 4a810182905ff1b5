import type { TensorMap } from "./tensor.js";

/**
 * A source-layout adapter: maps the tensor names (and, where needed, the tensors) of one
 * family of checkpoints to the canonical timm/BEiT names (SPEC §3). One file each under
 * `adapters/`. `toCanonical` is lazy: it renames entries and builds derived entries (e.g. a
 * fused qkv) whose `read()` combines the sources on demand, never reading values itself.
 */
export interface SourceAdapter {
  readonly id: string;
  readonly description: string;
  /** True when these names are this layout (and every name can be mapped). */
  detect(keys: readonly string[]): boolean;
  /** The canonical map; throws a LayoutError naming keys it cannot map. */
  toCanonical(map: TensorMap): TensorMap;
  /** Keys this adapter has no rule for (used to explain a failed detection). */
  unmappedKeys?(keys: readonly string[]): readonly string[];
}
