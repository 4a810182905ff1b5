/** Zip-level mutations shared by the `.pth` and `.npz` targets: entries duplicated, dropped, renamed, swapped or recompressed, and the archive rebuilt. */
import { zipBytes } from "@transseg/weights/testing";
import type { Rng } from "../rng.js";
import { zipEntries, type ZipEntryData } from "./zip-layout.js";

export function rebuildZip(entries: readonly ZipEntryData[], rng: Rng): Uint8Array {
  return zipBytes(entries, { zip64: rng.chance(0.2), ...(rng.chance(0.5) ? { align: 64 } : {}) });
}

/** Entries of `bytes`, or null when it no longer parses as a zip. */
export function entriesOf(bytes: Uint8Array): ZipEntryData[] | null {
  try {
    return zipEntries(bytes);
  } catch {
    return null;
  }
}

export function mutateZipEntries(entries: ZipEntryData[], rng: Rng, names: readonly string[]): { entries: ZipEntryData[]; note: string } {
  const out = entries.map((e) => ({ ...e }));
  if (!out.length) return { entries: out, note: "no entries" };
  const i = rng.below(out.length);
  const e = out[i]!;
  const kind = rng.pick(["duplicate", "drop", "rename", "swap", "recompress", "reorder", "empty"] as const);
  switch (kind) {
    case "duplicate": {
      const copy = { ...e, name: rng.chance(0.5) ? e.name : rng.pick(names), data: rng.chance(0.5) ? e.data : e.data.slice(0, rng.below(e.data.length + 1)) };
      out.splice(rng.below(out.length + 1), 0, copy);
      return { entries: out, note: `duplicate "${e.name}" as "${copy.name}" (${copy.data.length} bytes)` };
    }
    case "drop":
      out.splice(i, 1);
      return { entries: out, note: `drop "${e.name}"` };
    case "rename": {
      const to = rng.pick([...names, "", "../evil", `${e.name}/`, e.name.toUpperCase(), e.name.replace(/^[^/]*\//, "")]);
      e.name = to;
      return { entries: out, note: `rename entry ${i} to "${to}"` };
    }
    case "swap": {
      const j = rng.below(out.length);
      [out[i]!.data, out[j]!.data] = [out[j]!.data, out[i]!.data];
      return { entries: out, note: `swap data of "${out[i]!.name}" and "${out[j]!.name}"` };
    }
    case "recompress":
      e.deflate = !e.deflate;
      return { entries: out, note: `"${e.name}" ${e.deflate ? "deflated" : "stored"}` };
    case "reorder":
      out.reverse();
      return { entries: out, note: "entries reversed" };
    case "empty":
      e.data = new Uint8Array(0);
      return { entries: out, note: `"${e.name}" emptied` };
  }
}
