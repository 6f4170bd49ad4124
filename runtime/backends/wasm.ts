import * as tf from '@tensorflow/tfjs-core';
import { dirname } from 'node:path';
import { firstLine, resolvePackageFile } from './packages.js';
import type { ProbeOutcome } from './probe.js';

const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

interface WasmModule {
  setWasmPaths(prefix: string): void;
  getThreadsCount(): number;
}

let wasmModule: WasmModule | undefined;

/** The loaded tfjs-backend-wasm module, once `probeWasm` has run (describe.ts reads threads from it). */
export function loadedWasmModule(): WasmModule | undefined {
  return wasmModule;
}

/**
 * XNNPACK on WebAssembly, SIMD when the engine supports it. tfjs 4.22 turns wasm threads off in
 * Node (its WASM_HAS_MULTITHREAD_SUPPORT flag is false there), so this reports 1 thread.
 */
export async function probeWasm(): Promise<ProbeOutcome> {
  try {
    const loaded = (await import(WASM_PACKAGE)) as WasmModule & { default?: WasmModule };
    wasmModule = typeof loaded.setWasmPaths === 'function' ? loaded : loaded.default;
    if (wasmModule == null) return { ok: false, why: `${WASM_PACKAGE} has no setWasmPaths export` };
    // The .wasm binaries sit beside the package's main file; say so explicitly rather than rely
    // on the bundle's own guess, which breaks when bundled or run from another directory.
    wasmModule.setWasmPaths(`${dirname(resolvePackageFile(WASM_PACKAGE))}/`);
  } catch (error) {
    return { ok: false, why: `${WASM_PACKAGE} failed to load (${firstLine(error)})` };
  }
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const detail = `${simd ? 'SIMD' : 'no SIMD'}, ${threads ? 'multi-threaded' : '1 thread'}`;
  return { ok: true, detail, info: { simd: Boolean(simd), threadsSupported: Boolean(threads) } };
}
