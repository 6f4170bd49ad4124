import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BackendUnavailableError,
  describeBackend,
  selectBackend,
  type BackendProbe,
} from '../../runtime/backends/index.js';

const absent = (why: string): BackendProbe => async () => ({ ok: false, why });

describe('selectBackend auto', () => {
  it('falls through tensorflow (absent) and webgpu (no adapter) to wasm, and says why in one line', async () => {
    const lines: string[] = [];
    // The first wasm selection in this process fixes its thread count; later ones report it.
    const selection = await selectBackend('auto', {
      log: (line) => lines.push(line),
      threads: 2,
      probes: {
        tensorflow: absent('@tensorflow/tfjs-node-gpu not installed'),
        webgpu: absent('no GPU adapter found'),
      },
    });
    expect(selection.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(selection.skipped).toEqual([
      { name: 'tensorflow', why: '@tensorflow/tfjs-node-gpu not installed' },
      { name: 'webgpu', why: 'no GPU adapter found' },
    ]);
    expect(selection.reason).toBe('SIMD, 2 threads; best available');
    expect(lines).toEqual([
      'backend: wasm (SIMD, 2 threads) — tensorflow: @tensorflow/tfjs-node-gpu not installed; webgpu: no GPU adapter found',
    ]);
  });

  it('with the real probes here (no optional peers installed) takes wasm and names the missing packages', async () => {
    const lines: string[] = [];
    const selection = await selectBackend('auto', { log: (line) => lines.push(line) });
    expect(selection.name).toBe('wasm');
    expect(selection.skipped).toEqual([
      { name: 'tensorflow', why: '@tensorflow/tfjs-node-gpu not installed, @tensorflow/tfjs-node not installed' },
      { name: 'webgpu', why: '@tensorflow/tfjs-backend-webgpu and webgpu not installed' },
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^backend: wasm \(SIMD, 2 threads\) — tensorflow: .*; webgpu: .*not installed$/);
  });

  it('skips a backend whose probe throws or which fails to initialise, and falls to cpu when wasm is gone too', async () => {
    const selection = await selectBackend('auto', {
      log: () => {},
      probes: {
        tensorflow: async () => {
          throw new Error('libtensorflow.so.2: cannot open shared object file');
        },
        // Claims success but registers nothing: tf.setBackend cannot find it.
        webgpu: async () => ({ ok: true, detail: 'fake adapter' }),
        wasm: absent('simulated'),
      },
    });
    expect(selection.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(selection.skipped.map((s) => s.name)).toEqual(['tensorflow', 'webgpu', 'wasm']);
    expect(selection.skipped[0]!.why).toBe('probe failed (libtensorflow.so.2: cannot open shared object file)');
    expect(selection.skipped[1]!.why).toMatch(/^failed to initialise/);
  });
});

describe('selectBackend explicit', () => {
  it('--backend webgpu here is an error that says why, not a fallback', async () => {
    const before = tf.getBackend();
    const error = await selectBackend('webgpu').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as BackendUnavailableError).backend).toBe('webgpu');
    expect((error as BackendUnavailableError).reason).toBe('@tensorflow/tfjs-backend-webgpu and webgpu not installed');
    expect((error as Error).message).toBe(
      "backend 'webgpu' is not available: @tensorflow/tfjs-backend-webgpu and webgpu not installed",
    );
    expect(tf.getBackend()).toBe(before);
  });

  it('--backend tensorflow here names both missing packages', async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow(
      "backend 'tensorflow' is not available: @tensorflow/tfjs-node-gpu not installed, @tensorflow/tfjs-node not installed",
    );
  });

  it('an injected "no adapter" webgpu probe is reported as such', async () => {
    await expect(selectBackend('webgpu', { probes: { webgpu: absent('no GPU adapter found') } })).rejects.toThrow(
      /no GPU adapter found/,
    );
  });

  it('--backend cpu and --backend wasm load and log one line', async () => {
    const lines: string[] = [];
    expect((await selectBackend('cpu', { log: (l) => lines.push(l) })).name).toBe('cpu');
    expect((await selectBackend('wasm', { log: (l) => lines.push(l) })).name).toBe('wasm');
    expect(lines).toEqual([
      'backend: cpu (pure JS reference) — requested with --backend',
      'backend: wasm (SIMD, 2 threads) — requested with --backend',
    ]);
  });
});

describe('a backend that loads but lacks kernels (simulated tensorflow)', () => {
  afterEach(() => {
    for (const kernel of tf.getKernelsForBackend('tensorflow')) tf.unregisterKernel(kernel.kernelName, 'tensorflow');
    tf.removeBackend('tensorflow');
  });

  it('is taken first by auto, and every training kernel it lacks runs through the cpu fallback', async () => {
    // A stand-in for tfjs-node: a real backend object registered under the name 'tensorflow'
    // with no kernels of its own.
    const loads: BackendProbe = async () => {
      tf.registerBackend('tensorflow', () => new MathBackendCPU());
      return { ok: true, detail: 'libtensorflow, CPU', info: { package: '@tensorflow/tfjs-node' } };
    };
    const lines: string[] = [];
    const selection = await selectBackend('auto', { log: (l) => lines.push(l), probes: { tensorflow: loads } });
    expect(selection.name).toBe('tensorflow');
    expect(selection.skipped).toEqual([]);
    expect(lines).toEqual(['backend: tensorflow (libtensorflow, CPU)']);
    expect(selection.addedKernels).toContain('Conv2DBackpropFilter');
    expect(selection.addedKernels).toContain('BatchMatMul');

    const grad = tf.grad((w: tf.Tensor) => tf.sum(tf.matMul(tf.tensor2d([[1, 2]]), w as tf.Tensor2D)))(tf.tensor2d([[1], [1]]));
    expect(Array.from(grad.dataSync())).toEqual([1, 2]);
    // Kernels that take a list of inputs (AddN, Concat, Pack) get it as an array on the cpu side too.
    expect(Array.from(tf.addN([tf.tensor1d([1, 2]), tf.tensor1d([3, 4]), tf.tensor1d([5, 6])]).dataSync())).toEqual([9, 12]);
    expect(Array.from(tf.concat([tf.tensor1d([1]), tf.tensor1d([2, 3])]).dataSync())).toEqual([1, 2, 3]);
    expect(tf.stack([tf.scalar(1), tf.scalar(2)]).shape).toEqual([2]);
    expect((await describeBackend()).tensorflow).toEqual({ package: '@tensorflow/tfjs-node' });
  });
});

describe('describeBackend (for run.json)', () => {
  it('reports wasm with its version, SIMD, threads and the kernels the runtime added', async () => {
    await selectBackend('wasm');
    const description = await describeBackend();
    expect(description).toEqual({
      backend: 'wasm',
      detail: 'SIMD, 2 threads',
      tfjsVersion: '4.22.0',
      addedKernels: [
        'Cast', 'ClipByValue', 'Conv2DBackpropFilter', 'Log1p', 'MaxPoolGrad', 'MaxPoolWithArgmax', 'Mean', 'OneHot',
        'Reciprocal', 'ResizeNearestNeighborGrad', 'Sum', 'UnsortedSegmentSum', '_FusedMatMul',
      ],
      wasm: { simd: true, threads: 2 },
    });
  });

  it('reports cpu plainly', async () => {
    await selectBackend('cpu');
    const description = await describeBackend();
    expect(description.backend).toBe('cpu');
    expect(description.tfjsVersion).toBe(tf.version_core);
    expect(description.wasm).toBeUndefined();
  });
});
