import type * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Helpers for kernels that compute in JS on wasm tensors. The wasm heap can grow (and detach every
 * view of it) whenever a tensor is allocated, so views are taken right before use, never kept
 * across an allocation.
 */
export type WasmBackend = BackendWasm;

/** A typed-array view of a wasm tensor's memory: valid until the next allocation. */
export function heapView(backend: WasmBackend, info: tf.TensorInfo): Float32Array | Int32Array {
  return backend.typedArrayFromHeap(info) as Float32Array | Int32Array;
}

/** A new wasm tensor filled with zeros (wasm allocations are not zeroed). */
export function zerosOutput(backend: WasmBackend, shape: number[], dtype: tf.DataType): tf.TensorInfo {
  const out = backend.makeOutput(shape, dtype);
  heapView(backend, out).fill(0);
  return out;
}

/** A new wasm tensor holding a copy of `values`. */
export function outputFrom(backend: WasmBackend, shape: number[], dtype: tf.DataType, values: Float32Array | Int32Array): tf.TensorInfo {
  const out = backend.makeOutput(shape, dtype);
  heapView(backend, out).set(values);
  return out;
}
