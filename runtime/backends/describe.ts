import * as tf from '@tensorflow/tfjs-core';
import { kernelsRegisteredFor } from '../kernels/index.js';
import { currentSelection } from './selection.js';
import { isBackendName } from '../backend-names.js';
import { loadedWasmModule } from './wasm.js';
import { webgpuAdapterInfo } from './webgpu.js';

/** The backend facts a run records in run.json, so a result can be traced to what computed it. */
export interface BackendDescription {
  /** The tfjs backend in use (tf.getBackend()). */
  backend: string;
  /** How selectBackend described it, e.g. "SIMD, 1 thread"; absent if it was set some other way. */
  detail?: string;
  tfjsVersion: string;
  /** Kernels the runtime registered for this backend (missing or wrong in its package). */
  addedKernels: string[];
  wasm?: { simd: boolean; threads: number };
  webgpu?: { adapter: Record<string, unknown> };
  tensorflow?: { package: string };
}

export async function describeBackend(): Promise<BackendDescription> {
  const backend = tf.getBackend();
  const selection = currentSelection()?.name === backend ? currentSelection() : undefined;
  const description: BackendDescription = {
    backend,
    tfjsVersion: tf.version_core,
    addedKernels: isBackendName(backend) ? kernelsRegisteredFor(backend) : [],
  };
  if (selection) description.detail = selection.detail;
  if (backend === 'wasm') {
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    description.wasm = { simd, threads: loadedWasmModule()?.getThreadsCount() ?? 1 };
  }
  if (backend === 'webgpu') description.webgpu = { adapter: { ...(webgpuAdapterInfo() ?? {}) } };
  if (backend === 'tensorflow') description.tensorflow = { package: String(selection?.info['package'] ?? 'unknown') };
  return description;
}
