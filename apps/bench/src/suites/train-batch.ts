import type { MicroBatch, SegConfigInput } from "@transseg/vit3d";

/** A deterministic batch of 2 windows with a foreground blob in the labels (train suite). */
export function trainBatch(config: SegConfigInput): MicroBatch {
  const [H, W] = config.encoder.img;
  const shape = [2, 1, 5, H, W] as const;
  const image = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < image.length; i++) image[i] = ((i * 2654435761) % 997) / 997;
  const label = new Int32Array(2 * H * W);
  for (let b = 0; b < 2; b++) for (let h = H / 4; h < H / 2; h++) for (let w = W / 4; w < W / 2; w++) label[b * H * W + h * W + w] = 1;
  return { image, label, shape };
}
