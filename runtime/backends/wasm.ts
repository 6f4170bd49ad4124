import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { firstLine, resolvePackageFile } from './packages.js';
import type { ProbeOutcome } from './probe.js';
import { MAX_WASM_THREADS, instantiateThreadedWasm, wasmPackageDir } from './wasm-threads.js';

const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

/** Highest registration priority tfjs-backend-wasm itself uses; kept so `auto` order is unchanged. */
const WASM_PRIORITY = 2;

interface WasmModule {
  setWasmPaths(prefix: string): void;
  getThreadsCount(): number;
  setThreadsCount(count: number): void;
  BackendWasm: new (module: unknown) => tf.KernelBackend;
}

let wasmModule: WasmModule | undefined;

/** The loaded tfjs-backend-wasm module, once `probeWasm` has run (describe.ts reads threads from it). */
export function loadedWasmModule(): WasmModule | undefined {
  return wasmModule;
}

/**
 * How many threads the wasm backend uses: the caller's choice, else `AE_THREADS`, else every core
 * Node reports, capped at the pool tfjs builds. Throws on a value that is not a positive integer.
 */
export function wasmThreadCount(requested?: number): number {
  const fromEnv = process.env['AE_THREADS'];
  const raw = requested ?? (fromEnv != null && fromEnv !== '' ? Number(fromEnv) : availableParallelism());
  if (!Number.isInteger(raw) || raw < 1) {
    const source = requested != null ? '--threads' : 'AE_THREADS';
    throw new RangeError(`${source} must be a whole number of at least 1 (got ${requested ?? fromEnv})`);
  }
  return Math.min(raw, MAX_WASM_THREADS);
}

/**
 * XNNPACK on WebAssembly, SIMD when the engine supports it, on `threads` threads (the threaded
 * build, see wasm-threads.ts) or the single-threaded build for one. The thread count is fixed when
 * the backend first initialises in a process; later probes report the count actually in use.
 */
export async function probeWasm(threads = 1): Promise<ProbeOutcome> {
  let packageMain: string;
  try {
    // Required, not imported: import() would first scan the CommonJS bundle for export names (~100 ms).
    const loaded = createRequire(import.meta.url)(WASM_PACKAGE) as WasmModule & { default?: WasmModule };
    wasmModule = typeof loaded.setWasmPaths === 'function' ? loaded : loaded.default;
    if (wasmModule == null) return { ok: false, why: `${WASM_PACKAGE} has no setWasmPaths export` };
    packageMain = resolvePackageFile(WASM_PACKAGE);
    // The .wasm binaries sit beside the package's main file; say so explicitly rather than rely
    // on the bundle's own guess, which breaks when bundled or run from another directory.
    if (tf.findBackend('wasm') == null) wasmModule.setWasmPaths(`${dirname(packageMain)}/`);
  } catch (error) {
    return { ok: false, why: `${WASM_PACKAGE} failed to load (${firstLine(error)})` };
  }
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  let inUse = threads > 1 && simd && typeof SharedArrayBuffer === 'function' ? threads : 1;
  if (tf.findBackend('wasm') != null) inUse = wasmModule.getThreadsCount();
  else if (inUse > 1) registerThreadedBackend(wasmModule, wasmPackageDir(packageMain), inUse);
  const detail = `${simd ? 'SIMD' : 'no SIMD'}, ${inUse === 1 ? '1 thread' : `${inUse} threads`}`;
  return { ok: true, detail, info: { simd, threads: inUse } };
}

/**
 * XNNPACK's pool threads run for the life of the backend, and Emscripten keeps a running pthread's
 * worker referenced, so a process that used the threaded build would never exit on its own. The
 * pool only ever works inside a synchronous kernel call, so nothing is lost by not waiting on it.
 */
function releasePoolWorkers(module: unknown): void {
  const pthreads = (module as { PThread?: { runningWorkers: { unref(): void }[] } }).PThread;
  for (const worker of pthreads?.runningWorkers ?? []) worker.unref();
}

/** Replaces the package's 'wasm' factory (not yet initialised) with one building the threaded module. */
function registerThreadedBackend(pkg: WasmModule, packageDir: string, threads: number): void {
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const module = await instantiateThreadedWasm(packageDir, threads);
      pkg.setThreadsCount(threads);
      const backend = new pkg.BackendWasm(module);
      releasePoolWorkers(module);
      return backend;
    },
    WASM_PRIORITY,
  );
}
