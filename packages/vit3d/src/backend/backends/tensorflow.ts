import type { BackendPlugin } from "../types.js";
import { initTensorflowNode } from "./tensorflow-node.js";

/** TensorFlow's C library on the CPU, through the optional peer @tensorflow/tfjs-node. */
export const tensorflowBackend = {
  id: "tensorflow",
  tfName: "tensorflow",
  description: "TensorFlow C library on the CPU (@tensorflow/tfjs-node; its install downloads libtensorflow)",
  packageName: "@tensorflow/tfjs-node",
  speed: 30,
  init: (context) => initTensorflowNode(context, "tensorflow", "@tensorflow/tfjs-node", "TensorFlow C library on the CPU"),
} as const satisfies BackendPlugin;
