import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import * as ort from "onnxruntime-node";
import { resolveId } from "@transseg/model";

/** Where a session runs. */
/** The requested execution provider is not installed (CLI exit code 2); the message says what to install. */
export class DeviceUnavailableError extends Error {
  override readonly name = "DeviceUnavailableError";
}

export const onnxDevices = Object.freeze({
  cpu: { id: "cpu", description: "ONNX Runtime's CPU execution provider (bundled with onnxruntime-node)" },
  cuda: { id: "cuda", description: "CUDA execution provider (needs onnxruntime-node's CUDA 12 files, CUDA 12 and cuDNN 9)" },
}) satisfies Readonly<Record<string, { id: string; description: string }>>;
export type OnnxDevice = keyof typeof onnxDevices;

export interface OnnxSessionOptions {
  /** Intra-op threads (default: every core, `os.availableParallelism()`). */
  readonly threads?: number;
  /** Execution provider (default "cpu"). */
  readonly device?: OnnxDevice;
  /**
   * ONNX Runtime's CPU memory arena (default true): it keeps the blocks it allocated and extends
   * itself by powers of two. Off, a BEiT-base + UPerNet(768) CT prediction peaked at 3.7 instead of
   * 6.0 GiB for 3–4 % more time (packages/onnx README, "Memory").
   */
  readonly memoryArena?: boolean;
}

export interface OnnxRunResult {
  readonly logits: Float32Array;
  /** `[batch, classes, H, W]`. */
  readonly shape: number[];
}

/** A loaded segmentation model: `run` takes windows `[batch, C, window, H, W]` and returns logits. */
export interface OnnxSegmenter {
  /** Input shape with `"batch"` for the dynamic axis. */
  readonly inputShape: readonly (number | string)[];
  readonly outputShape: readonly (number | string)[];
  readonly device: OnnxDevice;
  readonly threads: number;
  run(input: Float32Array, shape: readonly number[]): Promise<OnnxRunResult>;
  release(): Promise<void>;
}

/** The folder holding onnxruntime-node's native libraries for this platform, if it can be found. */
function ortBinFolder(): string | undefined {
  try {
    const main = createRequire(import.meta.url).resolve("onnxruntime-node");
    const dir = join(dirname(main), "..", "bin", "napi-v6", process.platform, process.arch);
    return existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

const CUDA_HELP =
  'reinstall onnxruntime-node with its install script enabled and ONNXRUNTIME_NODE_INSTALL=cuda12 (it downloads the CUDA execution provider from the NuGet package Microsoft.ML.OnnxRuntime.Gpu.Linux; with pnpm allow it with `allowBuilds: { onnxruntime-node: true }`), on a Linux x64 machine with CUDA 12 and cuDNN 9 installed, or use device "cpu"';

/** Fails clearly when onnxruntime-node has no CUDA execution provider files (the npm package bundles only the CPU one). */
function checkCuda(): void {
  const dir = ortBinFolder();
  if (process.platform === "linux" && dir && !existsSync(join(dir, "libonnxruntime_providers_cuda.so"))) {
    throw new DeviceUnavailableError(`CUDA is unavailable: onnxruntime-node ${ort.env.versions.node ?? ""} has no libonnxruntime_providers_cuda.so in ${dir}; ${CUDA_HELP}`);
  }
  if (process.platform !== "linux" && process.platform !== "win32") throw new DeviceUnavailableError(`CUDA is unavailable: onnxruntime-node has no CUDA execution provider on ${process.platform}/${process.arch}; use device "cpu"`);
}

/**
 * Loads an exported model (bytes or a `.onnx` path) into ONNX Runtime with every optimization
 * on; by default it uses all cores on the CPU.
 */
export async function createOnnxSession(model: Uint8Array | string, options: OnnxSessionOptions = {}): Promise<OnnxSegmenter> {
  const device = resolveId("ONNX device", options.device ?? "cpu", onnxDevices).id as OnnxDevice;
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer (got ${threads})`);
  if (device === "cuda") checkCuda();
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: device === "cuda" ? ["cuda", "cpu"] : ["cpu"],
    graphOptimizationLevel: "all",
    executionMode: "sequential",
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    enableCpuMemArena: options.memoryArena ?? true,
  };
  let session: ort.InferenceSession;
  const where = typeof model === "string" ? model : "ONNX model";
  try {
    session = typeof model === "string" ? await ort.InferenceSession.create(model, sessionOptions) : await ort.InferenceSession.create(model, sessionOptions);
  } catch (e) {
    const msg = (e as Error).message.split("\n")[0];
    if (device === "cuda" && /cuda|shared library/i.test(msg ?? "")) throw new DeviceUnavailableError(`CUDA is unavailable: ${msg}; ${CUDA_HELP}`);
    throw new Error(`${where}: ONNX Runtime cannot load it (${msg})`);
  }
  const meta = (list: readonly ort.InferenceSession.ValueMetadata[], name: string) => {
    const m = list.find((v) => v.name === name);
    if (!m || !m.isTensor) throw new Error(`${where}: no tensor ${name === "input" ? "input" : "output"} "${name}" (not a TransSeg export?)`);
    return m.shape;
  };
  const inputShape = meta(session.inputMetadata, "input");
  const outputShape = meta(session.outputMetadata, "logits");
  return {
    inputShape,
    outputShape,
    device,
    threads,
    async run(input: Float32Array, shape: readonly number[]): Promise<OnnxRunResult> {
      const ok = shape.length === inputShape.length && shape.every((d, i) => Number.isInteger(d) && d > 0 && (typeof inputShape[i] !== "number" || inputShape[i] === d));
      if (!ok) throw new Error(`input shape [${shape.join(", ")}] does not fit the model's [${inputShape.join(", ")}]`);
      const n = shape.reduce((a, b) => a * b, 1);
      if (input.length !== n) throw new Error(`input has ${input.length} values but shape [${shape.join(", ")}] needs ${n}`);
      const feeds = { input: new ort.Tensor("float32", input, [...shape]) };
      const out = await session.run(feeds);
      const logits = out.logits!;
      return { logits: logits.data as Float32Array, shape: [...logits.dims] };
    },
    release: () => session.release(),
  };
}
