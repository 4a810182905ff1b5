import type { BackendPlugin } from "../types.js";
import { initTensorflowNode } from "./tensorflow-node.js";

/** TensorFlow's C library with CUDA, through the optional peer @tensorflow/tfjs-node-gpu. */
export const tensorflowGpuBackend = {
  id: "tensorflow-gpu",
  tfName: "tensorflow",
  description: "TensorFlow C library with CUDA (@tensorflow/tfjs-node-gpu; needs an NVIDIA GPU, CUDA and cuDNN)",
  packageName: "@tensorflow/tfjs-node-gpu",
  speed: 40,
  init: (context) => initTensorflowNode(context, "tensorflow-gpu", "@tensorflow/tfjs-node-gpu", "TensorFlow C library with CUDA"),
} as const satisfies BackendPlugin;
