/** Turns the stored bytes of one .npy array into a dense, little-endian, C-order typed array. */
import { DTYPE_BYTES, numel, type TensorData } from "../tensor.js";
import { gatherStrided, swapBytes, viewAs } from "../typed-arrays.js";
import { npyStrides, type NpyHeader } from "./npy-header.js";

export function npyBytesNeeded(h: NpyHeader): number {
  return numel(h.shape) * DTYPE_BYTES[h.dtype];
}

/** `data` = exactly the array's bytes (a fresh buffer the caller gives up). */
export function decodeNpyData(h: NpyHeader, data: Uint8Array): TensorData {
  const size = DTYPE_BYTES[h.dtype];
  const dense = h.fortranOrder && h.shape.length > 1 ? gatherStrided(data, size, h.shape, npyStrides(h)) : data;
  if (h.bigEndian) swapBytes(dense, size);
  return viewAs(h.dtype, dense);
}
