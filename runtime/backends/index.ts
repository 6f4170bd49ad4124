import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { kernelsRegisteredFor, registerMissingKernels } from '../kernels/index.js';
import { probeCpu } from './cpu.js';
import { BackendUnavailableError } from './errors.js';
import { ensureGradientsRegistered } from './gradients.js';
import { silenceCpuBanner } from './cpu.js';
import { keepingProcessHandlers } from './process-handlers.js';
import { BACKENDS_BEST_FIRST, type BackendName } from '../backend-names.js';
import type { BackendProbe, ProbeOutcome } from './probe.js';
import { rememberSelection } from './selection.js';
import { probeTensorflow } from './tensorflow.js';
import { probeWasm, wasmThreadCount } from './wasm.js';
import { probeWebgpu } from './webgpu.js';

export { BackendUnavailableError } from './errors.js';
export { BACKENDS_BEST_FIRST, isBackendName, type BackendName } from '../backend-names.js';
export type { BackendProbe, ProbeOutcome } from './probe.js';
export { describeBackend, type BackendDescription } from './describe.js';
export { ensureGradientsRegistered } from './gradients.js';
export { wasmThreadCount } from './wasm.js';
export { kernelsRegisteredFor, registerMissingKernels } from '../kernels/index.js';

// The cpu backend registers itself on load: the reference, and the host of the kernels other
// backends borrow (kernels/cpu_fallback.ts). Required, as it is loaded only for that side effect
// (see gradients.ts).
createRequire(import.meta.url)('@tensorflow/tfjs-backend-cpu');
silenceCpuBanner();

function defaultProbes(threads: number): Record<BackendName, BackendProbe> {
  return { tensorflow: probeTensorflow, webgpu: probeWebgpu, wasm: () => probeWasm(threads), cpu: probeCpu };
}

export interface SelectBackendOptions {
  /** Receives the one line saying which backend was taken and why better ones were skipped. */
  log?: (line: string) => void;
  /** Replace the real probes (tests simulate "package absent", "no adapter", "loads"). */
  probes?: Partial<Record<BackendName, BackendProbe>>;
  /** Threads for the wasm backend; default `AE_THREADS`, else every core (see wasmThreadCount). */
  threads?: number;
}

export interface BackendSelection {
  name: BackendName;
  /** Why this one: its own detail ("SIMD, 1 thread") and how it was chosen. */
  reason: string;
  /** The better backends `auto` passed over, best first, each with why. */
  skipped: { name: BackendName; why: string }[];
  /** The kernels the runtime registered for it (missing or wrong in its tfjs package), sorted. */
  addedKernels: string[];
}

/**
 * Makes `choice` the tfjs-core backend (`tf.setBackend` + `tf.ready`), with gradients registered
 * and the kernels training needs present. `auto` takes the first of tensorflow → webgpu → wasm →
 * cpu that loads; an explicit choice that cannot load throws BackendUnavailableError instead of
 * falling back.
 */
export async function selectBackend(
  choice: BackendName | 'auto',
  options: SelectBackendOptions = {},
): Promise<BackendSelection> {
  await ensureGradientsRegistered();
  const probes = { ...defaultProbes(wasmThreadCount(options.threads)), ...options.probes };
  const candidates = choice === 'auto' ? BACKENDS_BEST_FIRST : [choice];
  const skipped: { name: BackendName; why: string }[] = [];

  for (const name of candidates) {
    const outcome = await keepingProcessHandlers(() => activate(name, probes[name]));
    if (!outcome.ok) {
      if (choice !== 'auto') throw new BackendUnavailableError(name, outcome.why);
      skipped.push({ name, why: outcome.why });
      continue;
    }
    registerMissingKernels(name);
    const addedKernels = kernelsRegisteredFor(name);
    const how = choice === 'auto' ? 'best available' : 'requested';
    const reason = `${outcome.detail}; ${how}`;
    rememberSelection({ name, detail: outcome.detail, info: outcome.info ?? {} });
    options.log?.(logLine(name, outcome.detail, how, skipped));
    return { name, reason, skipped, addedKernels };
  }
  // Unreachable in practice: the cpu backend is a hard dependency.
  throw new BackendUnavailableError('cpu', skipped.map((s) => `${s.name}: ${s.why}`).join('; '));
}

/** Probe, then actually switch to it: a registered backend can still fail to initialise. */
async function activate(name: BackendName, probe: BackendProbe): Promise<ProbeOutcome> {
  let outcome: ProbeOutcome;
  try {
    outcome = await probe();
  } catch (error) {
    return { ok: false, why: `probe failed (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!outcome.ok) return outcome;
  let switched = false;
  try {
    switched = await tf.setBackend(name);
    await tf.ready();
  } catch (error) {
    return { ok: false, why: `failed to initialise (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!switched || tf.getBackend() !== name) return { ok: false, why: 'failed to initialise (tf.setBackend returned false)' };
  return outcome;
}

/** e.g. "backend: wasm (SIMD, 1 thread) — tensorflow: @tensorflow/tfjs-node-gpu not installed; webgpu: no GPU adapter found" */
function logLine(name: BackendName, detail: string, how: string, skipped: { name: BackendName; why: string }[]): string {
  const head = `backend: ${name} (${detail})`;
  if (skipped.length > 0) return `${head} — ${skipped.map((s) => `${s.name}: ${s.why}`).join('; ')}`;
  return how === 'requested' ? `${head} — requested with --backend` : head;
}
