import type { SegConfig, WindowRunner } from "@transseg/model";
import type { OnnxSegmenter } from "../session.js";

/** A `WindowRunner` on an ONNX Runtime session of an exported model (`createOnnxSession`). */
export function onnxRunner(session: OnnxSegmenter, config: SegConfig): WindowRunner {
  const e = config.encoder;
  return {
    inChannels: e.in_channels,
    window: e.window,
    img: [e.img[0], e.img[1]],
    classes: config.classes,
    engine: `onnxruntime (${session.device}, ${session.threads} thread${session.threads === 1 ? "" : "s"})`,
    async run(windows, shape) {
      return (await session.run(windows, shape)).logits;
    },
  };
}
