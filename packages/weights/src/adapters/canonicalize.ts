/** Layout detection and conversion to canonical names, over a registry of adapters. */
import type { SourceAdapter } from "../adapter.js";
import { unknownIdMessage } from "../did-you-mean.js";
import { LayoutError } from "../errors.js";
import type { TensorMap } from "../tensor.js";
import { builtinAdapters } from "./index.js";
import { describeKeys } from "./rules.js";

export type AdapterRegistry = Readonly<Record<string, SourceAdapter>>;

export interface CanonicalizeOptions {
  /** `"auto"` (default) detects the layout; an adapter id forces it (the CLI's `--source`). */
  source?: string;
  adapters?: AdapterRegistry;
}

export interface CanonicalTensors {
  /** The id of the adapter used. */
  readonly layout: string;
  readonly tensors: TensorMap;
}

/** The first adapter (in registry order) whose `detect` accepts these keys; a LayoutError otherwise. */
export function detectLayout(keys: readonly string[], adapters: AdapterRegistry = builtinAdapters): SourceAdapter {
  const all = Object.values(adapters);
  const found = all.find((a) => a.detect(keys));
  if (found) return found;
  const ids = all.map((a) => a.id).join(", ");
  // keys that no adapter can map are the likely culprits
  const explainers = all.filter((a) => a.unmappedKeys);
  const unknown = explainers.length ? keys.filter((k) => explainers.every((a) => a.unmappedKeys!([k]).length > 0)) : [];
  const what = !keys.length
    ? "the checkpoint holds no tensors"
    : unknown.length
      ? `unrecognised keys ${describeKeys(unknown)}`
      : `${keys.length} keys, e.g. ${describeKeys(keys, 3)}`;
  throw new LayoutError(`no source layout fits these tensors (${what}); known layouts: ${ids} (force one with --source <id>)`);
}

/** Resolves an adapter id (or "auto") against the registry; unknown ids name the nearest one. */
export function resolveAdapter(source: string, keys: readonly string[], adapters: AdapterRegistry = builtinAdapters): SourceAdapter {
  if (source === "auto") return detectLayout(keys, adapters);
  const a = Object.hasOwn(adapters, source) ? adapters[source] : undefined;
  if (!a) throw new LayoutError(unknownIdMessage("source layout", source, ["auto", ...Object.keys(adapters)]));
  return a;
}

/** Maps a checkpoint to canonical names (lazily: values are read only when entries are read). */
export function canonicalize(map: TensorMap, options: CanonicalizeOptions = {}): CanonicalTensors {
  const adapter = resolveAdapter(options.source ?? "auto", [...map.keys()], options.adapters);
  return { layout: adapter.id, tensors: adapter.toCanonical(map) };
}
