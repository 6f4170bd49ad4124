import * as tf from '@tensorflow/tfjs-core';
import { firstLine, isInstalled } from './packages.js';
import type { ProbeOutcome } from './probe.js';

const TFJS_WEBGPU = '@tensorflow/tfjs-backend-webgpu';
const DAWN = 'webgpu';

/** Loosely typed: the DOM lib's WebGPU types are not in this project's TypeScript lib set. */
interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}
interface AdapterLike {
  info?: AdapterInfoLike;
  requestAdapterInfo?: () => Promise<AdapterInfoLike>;
}
interface GpuLike {
  requestAdapter(options?: object): Promise<AdapterLike | null>;
}
interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

let adapterInfo: AdapterInfoLike | undefined;

/** What the GPU adapter said about itself, once `probeWebgpu` found one (for run.json). */
export function webgpuAdapterInfo(): AdapterInfoLike | undefined {
  return adapterInfo;
}

/**
 * WebGPU in Node through Dawn (the `webgpu` npm package; Vulkan on Linux GPUs).
 * tfjs-backend-webgpu registers itself on import only when `globalThis.navigator.gpu` exists,
 * so Dawn's GPU object is installed first and the backend package imported after it.
 */
export async function probeWebgpu(): Promise<ProbeOutcome> {
  const absent = [TFJS_WEBGPU, DAWN].filter((name) => !isInstalled(name));
  if (absent.length > 0) return { ok: false, why: `${absent.join(' and ')} not installed` };

  let gpu: GpuLike;
  try {
    const dawn = (await import(DAWN)) as DawnModule & { default?: DawnModule };
    const { create, globals } = typeof dawn.create === 'function' ? dawn : dawn.default!;
    Object.assign(globalThis, globals);
    gpu = withAdapterInfoShim(create([]));
    installNavigatorGpu(gpu);
  } catch (error) {
    return { ok: false, why: `${DAWN} (Dawn) failed to load (${firstLine(error)})` };
  }

  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (adapter == null) return { ok: false, why: 'no GPU adapter found' };
  adapterInfo = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};

  try {
    await import(TFJS_WEBGPU);
  } catch (error) {
    return { ok: false, why: `${TFJS_WEBGPU} failed to load (${firstLine(error)})` };
  }
  if (tf.findBackendFactory('webgpu') == null) {
    return { ok: false, why: `${TFJS_WEBGPU} did not register (navigator.gpu not visible to it)` };
  }
  return { ok: true, detail: describeAdapter(adapterInfo), info: { adapter: { ...adapterInfo } } };
}

function describeAdapter(info: AdapterInfoLike): string {
  const parts = [info.vendor, info.architecture, info.device || info.description].filter((part) => part);
  return parts.length > 0 ? parts.join(' ') : 'GPU adapter';
}

/** Node 20 has no `navigator`; Node 21+ has one without `gpu`. */
function installNavigatorGpu(gpu: GpuLike): void {
  const scope = globalThis as { navigator?: object };
  if (scope.navigator == null) {
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  }
  Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
}

/**
 * tfjs-backend-webgpu 4.22 calls `adapter.requestAdapterInfo()`, which newer WebGPU
 * implementations replaced with the `adapter.info` attribute; bridge the two.
 */
function withAdapterInfoShim(gpu: GpuLike): GpuLike {
  const requestAdapter = gpu.requestAdapter.bind(gpu);
  gpu.requestAdapter = async (options?: object) => {
    const adapter = await requestAdapter(options);
    if (adapter != null && typeof adapter.requestAdapterInfo !== 'function') {
      const info = adapter.info ?? {};
      Object.defineProperty(adapter, 'requestAdapterInfo', { value: async () => info, configurable: true });
    }
    return adapter;
  };
  return gpu;
}
