import { builtinProfiles, validateProfile, type TaskProfile } from "@transseg/datasets";
import { builtinStrategies, checkStrategyConformance, type InflationStrategy } from "@transseg/inflate";
import { builtinAdapters, checkAdapterConformance, type SourceAdapter } from "@transseg/weights";
import type { Decoder, SegLoss } from "@transseg/vit3d";
import { loadVit3d } from "../heavy.js";

/** What a plugin module may export, by registry: the key is the registry's name. */
export interface PluginTypes {
  readonly strategies: InflationStrategy;
  readonly adapters: SourceAdapter;
  readonly profiles: TaskProfile;
  readonly losses: SegLoss;
  readonly decoders: Decoder;
}
export type PluginKindId = keyof PluginTypes;

/** One kind of plugin: how an export is recognised, which ids are taken, and its conformance rules. */
export interface PluginKind<K extends PluginKindId = PluginKindId> {
  readonly id: K;
  /** Singular, for messages: "inflation strategy". */
  readonly what: string;
  /** The members that mark an export as this kind (said in "exports nothing usable"). */
  readonly marks: string;
  matches(value: Readonly<Record<string, unknown>>): boolean;
  /** The id the registry files it under. */
  idOf(value: PluginTypes[K]): unknown;
  /** Ids a plugin may not take: the built-in ones (and reserved words such as `auto`). */
  reserved(): Promise<readonly string[]>;
  /** The kind's conformance rules: throws one line naming the first problem. */
  check(value: PluginTypes[K]): Promise<void>;
}

const fn = (v: Readonly<Record<string, unknown>>, key: string) => typeof v[key] === "function";

/** The model kinds run TensorFlow.js: on the cpu backend, before the command picks its own. */
async function vit3dKit() {
  const vit3d = await loadVit3d();
  await vit3d.initBackend("cpu", { threads: 1 });
  return import("@transseg/vit3d/testing");
}

export const strategyKind = {
  id: "strategies",
  what: "inflation strategy",
  marks: "inflate",
  matches: (v) => fn(v, "inflate"),
  idOf: (v) => v.id,
  reserved: async () => Object.keys(builtinStrategies),
  check: async (v) => checkStrategyConformance(v),
} as const satisfies PluginKind<"strategies">;

export const adapterKind = {
  id: "adapters",
  what: "source layout",
  marks: "detect, toCanonical",
  matches: (v) => fn(v, "detect") || fn(v, "toCanonical"),
  idOf: (v) => v.id,
  reserved: async () => ["auto", ...Object.keys(builtinAdapters)],
  check: async (v) => checkAdapterConformance(v),
} as const satisfies PluginKind<"adapters">;

export const profileKind = {
  id: "profiles",
  what: "task profile",
  marks: "labels, paper, phantom",
  matches: (v) => "labels" in v && "paper" in v && !fn(v, "forward"),
  idOf: (v) => v.id,
  reserved: async () => Object.keys(builtinProfiles),
  async check(v) {
    let problems: string[];
    try {
      problems = validateProfile(v);
    } catch (e) {
      throw new Error(`not a task profile (${String((e as Error)?.message ?? e).split("\n")[0]})`);
    }
    if (problems.length) throw new Error(problems.join("; "));
  },
} as const satisfies PluginKind<"profiles">;

export const lossKind = {
  id: "losses",
  what: "loss",
  marks: "compute",
  matches: (v) => fn(v, "compute"),
  idOf: (v) => v.id,
  reserved: async () => Object.keys((await loadVit3d()).builtinLosses),
  check: async (v) => (await vit3dKit()).checkLoss(v),
} as const satisfies PluginKind<"losses">;

export const decoderKind = {
  id: "decoders",
  what: "decoder",
  marks: "forward, params",
  matches: (v) => fn(v, "forward") && fn(v, "params"),
  idOf: (v) => v.id,
  reserved: async () => Object.keys((await loadVit3d()).builtinDecoders),
  // the kit's small encoder, 12 blocks deep as ViT-B so that default layer choices fit; a volumetric
  // head needs depth tokens, so it gets patch depth 1 (Gd = window)
  check: async (v) => (await vit3dKit()).checkDecoder(v, { encoder: { depth: 12, ...(v.volumetric ? { patch_depth: 1 } : {}) } }),
} as const satisfies PluginKind<"decoders">;

/** The kinds a plugin module's exports are sorted into, in the order messages list them. */
export const pluginKinds = {
  strategies: strategyKind,
  adapters: adapterKind,
  profiles: profileKind,
  losses: lossKind,
  decoders: decoderKind,
} as const satisfies { readonly [K in PluginKindId]: PluginKind<K> };
