import { CheckpointError, f32Entry, readCheckpoint, toFloat32, writeSafetensors, type TensorEntry, type TensorMap } from "@transseg/weights";

/**
 * The 2D encoder inside a `transseg-seg/1` checkpoint of a `2d` (force_2d) model, in timm/BEiT
 * (or, for a Swin, TransSeg's `swin_transformer.py`) canonical names: the `encoder.` prefix dropped, the Conv3d patch kernel `[O, C, 1, P, P]`
 * squeezed to Conv2d `[O, C, P, P]` and summed over channels to one input channel (the channel
 * rule of SPEC §2 then adapts it to any task). Decoder tensors are left out.
 */
export async function encoder2dFromSegCheckpoint(file: string): Promise<Map<string, TensorEntry>> {
  const ckpt = await readCheckpoint(file);
  const out = new Map<string, TensorEntry>();
  for (const [name, entry] of ckpt.tensors) {
    if (!name.startsWith("encoder.")) continue;
    const canonical = name.slice("encoder.".length);
    if (canonical !== "patch_embed.proj.weight") {
      out.set(canonical, entry);
      continue;
    }
    const [o, c, d, ph, pw] = entry.shape;
    if (entry.shape.length !== 5 || d !== 1 || o === undefined || c === undefined || ph === undefined || pw === undefined) {
      throw new CheckpointError(file, `patch kernel has shape [${entry.shape.join(", ")}], expected [O, C, 1, P, P] (a 2d-variant model)`);
    }
    const src = toFloat32(entry);
    const plane = ph * pw;
    const kernel = new Float32Array(o * plane);
    for (let i = 0; i < o; i++) for (let ch = 0; ch < c; ch++) for (let k = 0; k < plane; k++) kernel[i * plane + k]! += src[(i * c + ch) * plane + k]!;
    out.set(canonical, f32Entry([o, 1, ph, pw], kernel));
  }
  const vit = out.has("cls_token");
  const swin = out.has("layers.0.blocks.0.norm1.weight");
  if (!(vit || swin) || !out.has("patch_embed.proj.weight")) throw new CheckpointError(file, "no encoder.cls_token (ViT/BEiT) or encoder.layers.0.blocks.0 (Swin) and encoder.patch_embed.proj.weight: not a transseg-seg/1 checkpoint");
  return out;
}

/** Writes an encoder map as safetensors with string metadata (atomic, via @transseg/weights). */
export function writeEncoder(file: string, tensors: TensorMap, metadata: Record<string, string>): void {
  writeSafetensors(file, tensors, { metadata });
}
