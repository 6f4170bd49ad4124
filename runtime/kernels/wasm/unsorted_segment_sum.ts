import * as tf from '@tensorflow/tfjs-core';
import { heapView, zerosOutput, type WasmBackend } from './heap.js';
import type { KernelArgs } from '../kernel-args.js';

/**
 * UnsortedSegmentSum for wasm (tfjs-backend-wasm 4.22 has none). Needed by the gradient of
 * `gather` (VQ codebook lookup, unpooling by switches) and by unpooling by switches itself.
 * out[segmentIds[i], ...] += x[i, ...]; ids outside [0, numSegments) are dropped, as on cpu.
 */
function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const wasm = backend as WasmBackend;
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const idRank = segmentIds.shape.length;
  const innerShape = x.shape.slice(idRank);
  const inner = tf.util.sizeFromShape(innerShape);
  const count = tf.util.sizeFromShape(segmentIds.shape);

  const out = zerosOutput(wasm, [numSegments, ...innerShape], x.dtype);
  const values = heapView(wasm, x);
  const ids = heapView(wasm, segmentIds);
  const sums = heapView(wasm, out);
  for (let i = 0; i < count; i++) {
    const segment = ids[i];
    if (segment < 0 || segment >= numSegments) continue;
    const from = i * inner;
    const to = segment * inner;
    for (let j = 0; j < inner; j++) sums[to + j] += values[from + j];
  }
  return out;
}

export const unsortedSegmentSumWasm: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
};
