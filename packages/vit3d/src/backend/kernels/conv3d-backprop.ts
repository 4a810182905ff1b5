import * as tf from "@tensorflow/tfjs";
import { asTensor, dilate, padOrCrop } from "./kernel-util.js";

type Triple = [number, number, number];
type Shape5 = [number, number, number, number, number];

export interface Conv3DBackpropInputAttrs {
  readonly strides: number | Triple;
  readonly pad: "valid" | "same";
  readonly inputShape: Shape5;
}

export interface Conv3DBackpropFilterAttrs {
  readonly strides: number | Triple;
  readonly pad: "valid" | "same";
  readonly filterShape: Shape5;
}

/**
 * Gradient of conv3d (NDHWC, dilation 1) with respect to its input: the output gradient with
 * `stride − 1` zeros between neighbours, padded by `k − 1 − padBefore` in front (and what
 * makes the size right behind), convolved at stride 1 with the spatially flipped filter whose
 * in/out channels are swapped.
 */
export function conv3dBackpropInput(dy: tf.Tensor5D, filter: tf.Tensor5D, attrs: Conv3DBackpropInputAttrs): tf.Tensor5D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv3DInfo(attrs.inputShape, filter.shape, attrs.strides, 1, attrs.pad);
    const strides: Triple = [info.strideDepth, info.strideHeight, info.strideWidth];
    const kernel: Triple = [info.filterDepth, info.filterHeight, info.filterWidth];
    const before: Triple = [info.padInfo.front, info.padInfo.top, info.padInfo.left];
    let g: tf.Tensor5D = dy;
    for (let a = 0; a < 3; a++) {
      g = dilate(g, a + 1, strides[a]!);
      const padBefore = kernel[a]! - 1 - before[a]!;
      const padAfter = attrs.inputShape[a + 1]! + kernel[a]! - 1 - g.shape[a + 1]! - padBefore;
      g = padOrCrop(g, a + 1, padBefore, padAfter);
    }
    const flipped = tf.transpose(tf.reverse(filter, [0, 1, 2]), [0, 1, 2, 4, 3]);
    return tf.conv3d(g, flipped, 1, "valid");
  });
}

/**
 * Gradient of conv3d (NDHWC, dilation 1) with respect to its filter `[kd, kh, kw, in, out]`.
 * Kernel = stride and nothing padded in front (a patch embedding): one matMul over the patches.
 * Otherwise one matMul per filter tap, `xᵢⱼₗᵀ · dy` with `xᵢⱼₗ` the strided window of the
 * padded input (as `conv2dBackpropFilter`).
 */
export function conv3dBackpropFilter(x: tf.Tensor5D, dy: tf.Tensor5D, attrs: Conv3DBackpropFilterAttrs): tf.Tensor5D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv3DInfo(x.shape, attrs.filterShape, attrs.strides, 1, attrs.pad);
    const strides: Triple = [info.strideDepth, info.strideHeight, info.strideWidth];
    const kernel: Triple = [info.filterDepth, info.filterHeight, info.filterWidth];
    const before: Triple = [info.padInfo.front, info.padInfo.top, info.padInfo.left];
    const outSize: Triple = [dy.shape[1], dy.shape[2], dy.shape[3]];
    const [b, , , , ci] = x.shape;
    const co = dy.shape[4];
    if (kernel.every((k, a) => k === strides[a]) && before.every((p) => p === 0)) {
      const [od, oh, ow] = outSize;
      const [kd, kh, kw] = kernel;
      let cropped: tf.Tensor5D = x;
      for (let a = 0; a < 3; a++) cropped = padOrCrop(cropped, a + 1, 0, outSize[a]! * kernel[a]! - x.shape[a + 1]!); // `same` may pad at the end
      const patches = tf.transpose(tf.reshape(cropped, [b * od, kd, oh, kh, ow, kw * ci]), [0, 2, 4, 1, 3, 5]);
      const grad = tf.matMul(tf.reshape(patches, [b * od * oh * ow, kd * kh * kw * ci]), tf.reshape(dy, [-1, co]), true, false);
      return tf.reshape(grad, attrs.filterShape);
    }
    let padded: tf.Tensor5D = x;
    for (let a = 0; a < 3; a++) {
      const need = kernel[a]! - 1 + (outSize[a]! - 1) * strides[a]! + 1;
      padded = padOrCrop(padded, a + 1, before[a]!, need - x.shape[a + 1]! - before[a]!);
    }
    const g = tf.reshape(dy, [-1, co]);
    const channelsFirst = tf.transpose(padded, [4, 0, 1, 2, 3]);
    const [kd, kh, kw] = kernel;
    const [od, oh, ow] = outSize;
    const [sd, sh, sw] = strides;
    const taps: tf.Tensor2D[] = [];
    for (let i = 0; i < kd; i++) {
      for (let j = 0; j < kh; j++) {
        for (let l = 0; l < kw; l++) {
          taps.push(
            tf.tidy(() => {
              const end = [ci, b, i + (od - 1) * sd + 1, j + (oh - 1) * sh + 1, l + (ow - 1) * sw + 1];
              const window = tf.stridedSlice(channelsFirst, [0, 0, i, j, l], end, [1, 1, sd, sh, sw]);
              return tf.matMul(tf.reshape(window, [ci, -1]), g) as tf.Tensor2D;
            }),
          );
        }
      }
    }
    return tf.reshape(tf.stack(taps), attrs.filterShape);
  });
}

/** Replacement `Conv3DBackpropInputV2` (wasm's gives wrong results). */
export function conv3dBackpropInputKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.Conv3DBackpropInputV2,
    backendName,
    kernelFunc: ({ inputs, attrs }) => {
      const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      return tf.tidy(() => conv3dBackpropInput(asTensor(dy), asTensor(filter), attrs as unknown as Conv3DBackpropInputAttrs));
    },
  };
}

/** Replacement `Conv3DBackpropFilterV2` (wasm's is wrong for strides > 1). */
export function conv3dBackpropFilterKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.Conv3DBackpropFilterV2,
    backendName,
    kernelFunc: ({ inputs, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      return tf.tidy(() => conv3dBackpropFilter(asTensor(x), asTensor(dy), attrs as unknown as Conv3DBackpropFilterAttrs));
    },
  };
}
