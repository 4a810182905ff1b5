import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { resolve } from "node:path";
import { readSafetensorsHeader, resolveId, safetensorsFormat } from "@transseg/weights";
import { BUNDLED_ENCODERS, type BundledEncoderRegistry } from "./bundled.js";

/** The name of a single checkpoint given without a name (`--pretrained a.pth`); its labels stay plain ("Ours"). */
export const UNNAMED_SOURCE = "pretrained";

/** True when the study's only source is the unnamed checkpoint: labels and titles keep the paper's plain names. */
export const plainLabels = (names: readonly string[]) => names.length === 1 && names[0] === UNNAMED_SOURCE;

/** A 2D pre-trained encoder the checkpoint-initialised variants start from, as study.json records it. */
export interface StudySource {
  readonly name: string;
  /** Absolute path, as found on the machine that planned the study (not part of its identity). */
  readonly file: string;
  readonly sha256: string;
  /** The checkpoint's `__metadata__.transseg_pretrain` (JSON text), or null when it has none. */
  readonly recipe: string | null;
}

/** A source as named on the command line, before its file is read. */
export interface SourceSpec {
  readonly name: string;
  readonly file: string;
  /** True for a bundled encoder (its name alone, or a budget's default). */
  readonly bundled: boolean;
}

const NAME = /^[A-Za-z0-9_-]+$/;

/**
 * `--pretrained`: one checkpoint path (named "pretrained"), a bundled encoder's name
 * (`natural`), or a comma list of those and `name=path` items
 * (`medical=a.pth,natural=b.safetensors`). Several sources must each have a name.
 */
export function parseSources(spec: string, bundled: BundledEncoderRegistry = BUNDLED_ENCODERS): SourceSpec[] {
  const items = spec.split(",").map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new Error(`--pretrained: empty (give a checkpoint, a bundled name such as ${Object.keys(bundled).join(" or ")}, or name=path,…)`);
  const specs = items.map((item): SourceSpec => {
    const named = /^([^=/\\]+)=(.+)$/.exec(item);
    if (named) {
      if (!NAME.test(named[1]!)) throw new Error(`--pretrained: source name "${named[1]}" may hold only letters, digits, "_" and "-"`);
      return { name: named[1]!, file: resolve(named[2]!), bundled: false };
    }
    if (Object.hasOwn(bundled, item)) return { name: item, file: bundled[item]!, bundled: true };
    if (!/[./\\]/.test(item) && !existsSync(item)) resolveId("bundled encoder", item, bundled); // a mistyped name: "did you mean"
    if (items.length > 1) throw new Error(`--pretrained: name each of several checkpoints (name=path), got "${item}"`);
    return { name: UNNAMED_SOURCE, file: resolve(item), bundled: false };
  });
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name)) throw new Error(`--pretrained: source "${s.name}" is given twice`);
    seen.add(s.name);
  }
  return specs;
}

/** The bundled encoders a budget names as its default sources (unknown names fail with "did you mean"). */
export function bundledSources(names: readonly string[], bundled: BundledEncoderRegistry = BUNDLED_ENCODERS): SourceSpec[] {
  return names.map((name) => ({ name, file: resolveId("bundled encoder", name, bundled), bundled: true }));
}

export function sha256File(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** `__metadata__.transseg_pretrain` of a safetensors checkpoint (read from its header only); null for other formats or when absent. */
export function readRecipe(file: string): string | null {
  const fd = openSync(file, "r");
  const head = new Uint8Array(64);
  const n = readSync(fd, head, 0, 64, 0);
  closeSync(fd);
  if (!safetensorsFormat.sniff(head.subarray(0, n))) return null;
  return readSafetensorsHeader(file).metadata.transseg_pretrain ?? null;
}

/** Checks a source's file and records its SHA-256 and recipe. */
export function resolveSource(spec: SourceSpec): StudySource {
  if (!existsSync(spec.file)) throw new Error(`${spec.file}: pre-trained checkpoint not found${spec.bundled ? " (re-create it with apps/bench/scripts/pretrain-2d.ts)" : ""}`);
  return { name: spec.name, file: spec.file, sha256: sha256File(spec.file), recipe: readRecipe(spec.file) };
}

/** The parts of a recipe the report speaks of (tolerant: anything unreadable is left out). */
export function parseRecipe(recipe: string | null): { readonly kind: string | null; readonly profiles: readonly string[] } | null {
  if (recipe === null) return null;
  try {
    const r = JSON.parse(recipe) as { kind?: unknown; profiles?: unknown };
    return {
      kind: typeof r.kind === "string" ? r.kind : null,
      profiles: Array.isArray(r.profiles) ? r.profiles.filter((p): p is string => typeof p === "string") : [],
    };
  } catch {
    return null;
  }
}
