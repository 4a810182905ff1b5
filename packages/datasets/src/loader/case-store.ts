import { DatasetError } from "../errors.js";
import { readNifti } from "../nifti/index.js";
import { gridDims, type VolumeGrid } from "../window/grid.js";
import { scaleIntensities, type ScaledVolume } from "../window/scale.js";
import type { LoaderCase } from "./types.js";

/** A decoded, preprocessed case as the loader keeps it. */
export interface CachedCase {
  readonly image: ScaledVolume;
  readonly label: VolumeGrid<Uint8Array | Int16Array | Uint16Array | Int32Array | Float32Array | Int8Array | Uint32Array | Float64Array>;
  /** Slices whose label has any foreground. */
  readonly foregroundSlices: Int32Array;
  readonly bytes: number;
}

/** Checks and preprocesses an image / label pair already in memory. */
export function prepareCase(
  image: VolumeGrid,
  label: CachedCase["label"],
  clip: readonly [number, number] | null,
  channels: number,
  names: { readonly image: string; readonly label: string } = { image: "image", label: "label" },
): CachedCase {
  const [X, Y, Z, C] = gridDims(image, names.image);
  const [lx, ly, lz, lc] = gridDims(label, names.label);
  if (C !== channels) throw new DatasetError(names.image, `has ${C} channel(s), the task profile expects ${channels}`);
  if (lc !== 1 || lx !== X || ly !== Y || lz !== Z) {
    throw new DatasetError(names.label, `label shape [${label.shape.join(", ")}] does not match image shape [${X}, ${Y}, ${Z}]`);
  }
  const fg: number[] = [];
  const plane = X * Y;
  for (let z = 0; z < Z; z++) {
    for (let i = z * plane; i < (z + 1) * plane; i++) {
      if (label.data[i] !== 0) {
        fg.push(z);
        break;
      }
    }
  }
  const scaled = scaleIntensities(image, clip);
  return { image: scaled, label, foregroundSlices: Int32Array.from(fg), bytes: scaled.data.byteLength + label.data.byteLength };
}

/** Reads a case from disk (NIfTI) and preprocesses it. */
export async function loadCase(c: LoaderCase, clip: readonly [number, number] | null, channels: number): Promise<CachedCase> {
  const [image, label] = await Promise.all([readNifti(c.image), readNifti(c.label)]);
  return prepareCase(image, label, clip, channels, c);
}

/**
 * A bounded least-recently-used cache of decoded cases. It holds at most `maxBytes` of volumes,
 * but always the most recent case, and shares one pending load between concurrent requests.
 */
export class CaseCache {
  private readonly entries = new Map<number, Promise<CachedCase>>();
  private readonly sizes = new Map<number, number>();

  constructor(
    private readonly maxBytes: number,
    private readonly load: (index: number) => Promise<CachedCase>,
  ) {}

  get(index: number): Promise<CachedCase> {
    const hit = this.entries.get(index);
    if (hit) {
      this.entries.delete(index);
      this.entries.set(index, hit);
      return hit;
    }
    const pending = this.load(index).then(
      (c) => {
        this.sizes.set(index, c.bytes);
        this.evict(index);
        return c;
      },
      (err: unknown) => {
        this.entries.delete(index);
        throw err;
      },
    );
    this.entries.set(index, pending);
    return pending;
  }

  /** Indices currently cached (oldest first). */
  keys(): number[] {
    return [...this.entries.keys()];
  }

  private evict(keep: number): void {
    let total = 0;
    for (const s of this.sizes.values()) total += s;
    for (const key of [...this.entries.keys()]) {
      if (total <= this.maxBytes) break;
      if (key === keep || !this.sizes.has(key)) continue;
      total -= this.sizes.get(key)!;
      this.sizes.delete(key);
      this.entries.delete(key);
    }
  }
}
