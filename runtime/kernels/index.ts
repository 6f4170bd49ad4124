import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../backend-names.js';
import { cpuFallbackKernel } from './cpu_fallback.js';
import { originalKernel, rememberOriginal } from './originals.js';
import { resizeNearestNeighborGradFor } from './resize_nearest_neighbor_grad.js';
import { TRAINING_KERNELS } from './training_kernels.js';
import { conv2DBackpropFilterWasm } from './wasm/conv2d_backprop_filter.js';
import { fusedMatMulWasm } from './wasm/fused_mat_mul.js';
import { log1pWasm } from './wasm/log1p.js';
import { maxPoolGradWasm } from './wasm/max_pool_grad.js';
import { maxPoolWithArgmaxWasm } from './wasm/max_pool_with_argmax.js';
import { oneHotWasm } from './wasm/one_hot.js';
import { unsortedSegmentSumWasm } from './wasm/unsorted_segment_sum.js';
import { VIA_CPU_WASM } from './wasm/via_cpu.js';

/** Hand-written kernels for kernels a backend's tfjs package lacks. */
const ADDED: Partial<Record<BackendName, tf.KernelConfig[]>> = {
  wasm: [conv2DBackpropFilterWasm, unsortedSegmentSumWasm],
};

/**
 * Hand-written kernels that replace ones a backend's package has but computes wrongly (found by
 * the conformance tests in test/backends/: op cases, the kernel survey, whole models; each file
 * says what was wrong, and withTfjsKernels lets a test put the wrong one back).
 */
const REPLACED: Partial<Record<BackendName, tf.KernelConfig[]>> = {
  cpu: [resizeNearestNeighborGradFor('cpu')],
  wasm: [maxPoolWithArgmaxWasm, maxPoolGradWasm, resizeNearestNeighborGradFor('wasm'), oneHotWasm, fusedMatMulWasm, log1pWasm, ...VIA_CPU_WASM],
};

/**
 * Makes every kernel training needs (TRAINING_KERNELS) present and correct on `backend`: replaces
 * the known-wrong ones, adds a hand-written kernel where one is written, else one that runs the
 * cpu backend's implementation on copies (so an untested GPU backend missing a kernel still
 * trains). Idempotent; returns the kernel names it registered by this call.
 */
export function registerMissingKernels(backend: BackendName): string[] {
  const registered: string[] = [];
  const record = (kernelName: string) => {
    registered.push(kernelName);
    if (!registeredSoFar.has(backend)) registeredSoFar.set(backend, new Set());
    registeredSoFar.get(backend)!.add(kernelName);
  };
  for (const config of REPLACED[backend] ?? []) {
    const current = tf.getKernel(config.kernelName, backend);
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current != null) {
      rememberOriginal(current);
      tf.unregisterKernel(config.kernelName, backend);
    }
    tf.registerKernel(config);
    record(config.kernelName);
  }
  const added = new Map((ADDED[backend] ?? []).map((config) => [config.kernelName, config]));
  for (const kernelName of TRAINING_KERNELS) {
    if (tf.getKernel(kernelName, backend) != null) continue;
    tf.registerKernel(added.get(kernelName) ?? cpuFallbackKernel(kernelName, backend));
    record(kernelName);
  }
  return registered;
}

const registeredSoFar = new Map<BackendName, Set<string>>();

/** Every kernel the runtime has registered for `backend` in this process (sorted; for run.json). */
export function kernelsRegisteredFor(backend: BackendName): string[] {
  return [...(registeredSoFar.get(backend) ?? [])].sort();
}

/**
 * For tests only: runs `fn` with the backend package's own kernels for `kernelNames` in place of
 * the runtime's replacements, then puts the replacements back. The conformance suite uses it to
 * show that it fails on the wrong tfjs kernels, i.e. that it would have caught each bug.
 */
export async function withTfjsKernels<T>(backend: BackendName, kernelNames: string[], fn: () => T | Promise<T>): Promise<T> {
  registerMissingKernels(backend);
  for (const kernelName of kernelNames) {
    tf.unregisterKernel(kernelName, backend);
    tf.registerKernel(originalKernel(kernelName, backend));
  }
  try {
    return await fn();
  } finally {
    for (const kernelName of kernelNames) {
      const replacement = (REPLACED[backend] ?? []).find((config) => config.kernelName === kernelName)!;
      tf.unregisterKernel(kernelName, backend);
      tf.registerKernel(replacement);
    }
  }
}
