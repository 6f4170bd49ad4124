import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { kernelsRegisteredFor, registerMissingKernels, selectBackend } from '../../runtime/backends/index.js';
import { runOnCpu } from '../../runtime/kernels/cpu_fallback.js';
import { TRAINING_KERNELS } from '../../runtime/kernels/training_kernels.js';
import { makeConv2DBackpropFilter } from '../../runtime/kernels/wasm/conv2d_backprop_filter.js';
import { OP_CASES } from './cases.js';
import { compareArrays, runCase } from './compare.js';
import { seededTensor } from './seeded.js';

beforeAll(async () => {
  await selectBackend('cpu');
  await selectBackend('wasm');
});

async function onBoth<T>(run: () => T): Promise<{ cpu: T; wasm: T }> {
  await tf.setBackend('cpu');
  const cpu = run();
  await tf.setBackend('wasm');
  const wasm = run();
  return { cpu, wasm };
}

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('kernel registration', () => {
  it('adds the two kernels wasm lacks and replaces the eleven it computes wrongly (in some case); cpu gets its fix', () => {
    expect(kernelsRegisteredFor('wasm')).toEqual([
      'Cast',
      'ClipByValue',
      'Conv2DBackpropFilter',
      'Log1p',
      'MaxPoolGrad',
      'MaxPoolWithArgmax',
      'Mean',
      'OneHot',
      'Reciprocal',
      'ResizeNearestNeighborGrad',
      'Sum',
      'UnsortedSegmentSum',
      '_FusedMatMul',
    ]);
    expect(kernelsRegisteredFor('cpu')).toEqual(['ResizeNearestNeighborGrad']);
    expect(registerMissingKernels('wasm')).toEqual([]);
    expect(registerMissingKernels('cpu')).toEqual([]);
  });

  it('every training kernel exists on cpu and on wasm', () => {
    expect(TRAINING_KERNELS.filter((name) => tf.getKernel(name, 'cpu') == null)).toEqual([]);
    expect(TRAINING_KERNELS.filter((name) => tf.getKernel(name, 'wasm') == null)).toEqual([]);
  });

  it('the training kernel list covers every kernel the op cases run, forward and backward', async () => {
    await tf.setBackend('cpu');
    const used = new Set<string>();
    for (const opCase of OP_CASES) {
      const profile = await tf.profile(() => {
        runCase(opCase);
      });
      // customGrad scopes show up as "<op>__op"; they are not kernels.
      for (const name of profile.kernelNames) if (!name.endsWith('__op')) used.add(name);
    }
    expect([...used].filter((name) => !TRAINING_KERNELS.includes(name))).toEqual([]);
    expect(used.size).toBeGreaterThan(50);
  });
});

describe('Conv2DBackpropFilter on wasm (im2col + matMul)', () => {
  const attrs = (pad: 'same' | 'valid', dataFormat: 'NHWC' | 'NCHW', filterShape: number[]) => ({
    strides: [2, 2],
    pad,
    dataFormat,
    filterShape,
  });

  it('agrees with cpu for NHWC and NCHW, same and valid', async () => {
    for (const [pad, dataFormat] of [['same', 'NHWC'], ['valid', 'NHWC'], ['same', 'NCHW'], ['valid', 'NCHW']] as const) {
      const { cpu, wasm } = await onBoth(() =>
        tf.tidy(() => {
          const x = seededTensor({ shape: dataFormat === 'NHWC' ? [3, 7, 6, 2] : [3, 2, 7, 6] }, 1);
          const outH = pad === 'same' ? 4 : 3;
          const outW = pad === 'same' ? 3 : 2;
          const dy = seededTensor({ shape: dataFormat === 'NHWC' ? [3, outH, outW, 4] : [3, 4, outH, outW] }, 2);
          return values(tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs(pad, dataFormat, [3, 3, 2, 4])) as tf.Tensor);
        }),
      );
      const { maxAbs, ok } = compareArrays(wasm, cpu, 1e-4);
      expect(ok, `${pad} ${dataFormat}: ${maxAbs}`).toBe(true);
    }
  });

  it('gives the same answer when the batch is split into chunks', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const x = seededTensor({ shape: [5, 6, 6, 3] }, 3);
    const dy = seededTensor({ shape: [5, 3, 3, 4] }, 4);
    const inputs = { x, dy } as unknown as tf.NamedTensorInfoMap;
    const args = { inputs, backend, attrs: attrs('same', 'NHWC', [3, 3, 3, 4]) };
    const whole = makeConv2DBackpropFilter()(args);
    const chunked = makeConv2DBackpropFilter(9 * 27 * 2)(args); // two images per chunk: 3 chunks
    const { ok } = compareArrays(
      Array.from(backend.readSync(chunked.dataId) as Float32Array),
      Array.from(backend.readSync(whole.dataId) as Float32Array),
      1e-5, // only the summation order differs
    );
    expect(ok).toBe(true);
    backend.disposeData(whole.dataId);
    backend.disposeData(chunked.dataId);
    tf.dispose([x, dy]);
  });

  it('matches a finite-difference gradient of the loss (independently of cpu)', async () => {
    await tf.setBackend('wasm');
    const x = seededTensor({ shape: [2, 5, 5, 2] }, 5) as tf.Tensor4D;
    const f = seededTensor({ shape: [3, 3, 2, 2] }, 6) as tf.Tensor4D;
    const w = seededTensor({ shape: [2, 3, 3, 2] }, 7);
    const loss = (filter: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.conv2d(x, filter as tf.Tensor4D, 2, 'same'), w));
    const analytic = tf.grad(loss)(f).dataSync();
    const base = f.dataSync();
    for (const i of [0, 5, 17, 35]) {
      const bumped = Float32Array.from(base);
      bumped[i]! += 0.5; // the loss is linear in the filter, so any step is exact up to rounding
      const numeric = (loss(tf.tensor4d(bumped, f.shape)).dataSync()[0]! - loss(f).dataSync()[0]!) / 0.5;
      expect(Math.abs(numeric - analytic[i]!)).toBeLessThan(2e-3);
    }
  });

  it('the generic cpu fallback computes the same on wasm tensors', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const x = seededTensor({ shape: [2, 6, 6, 3] }, 8);
    const dy = seededTensor({ shape: [2, 3, 3, 4] }, 9);
    const args = { inputs: { x, dy } as unknown as tf.NamedTensorInfoMap, backend, attrs: attrs('same', 'NHWC', [3, 3, 3, 4]) };
    const viaCpu = runOnCpu('Conv2DBackpropFilter')(args) as tf.TensorInfo;
    const specialised = makeConv2DBackpropFilter()(args);
    const { ok } = compareArrays(
      Array.from(backend.readSync(viaCpu.dataId) as Float32Array),
      Array.from(backend.readSync(specialised.dataId) as Float32Array),
      1e-5,
    );
    expect(ok).toBe(true);
    expect(viaCpu.shape).toEqual([3, 3, 3, 4]);
  });
});

describe('max-pool switches on wasm', () => {
  it('finds the max of an all-negative window (tfjs-backend-wasm 4.22 returned index 0)', async () => {
    const x = () => tf.tensor4d([-3, -1, -4, -2, -9, -8, -7, -6], [2, 2, 2, 1]);
    const { cpu, wasm } = await onBoth(() =>
      tf.tidy(() => {
        const withBatch = tf.maxPoolWithArgmax(x(), 2, 2, 'valid', true);
        const perImage = tf.maxPoolWithArgmax(x(), 2, 2, 'valid', false);
        const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid')))(x());
        return [values(withBatch.result), values(withBatch.indexes), values(perImage.indexes), values(grad)];
      }),
    );
    expect(wasm).toEqual([[-1, -6], [1, 7], [1, 3], [0, 1, 0, 0, 0, 0, 0, 1]]);
    expect(wasm).toEqual(cpu);
  });
});

describe('ResizeNearestNeighborGrad', () => {
  it('on cpu now equals the gradient of the same upsampling written as broadcast + reshape (batch of 2)', async () => {
    await tf.setBackend('cpu');
    const x = seededTensor({ shape: [2, 3, 3, 2] }, 10);
    const w = seededTensor({ shape: [2, 6, 6, 2] }, 11);
    const byResize = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(v as tf.Tensor4D, [6, 6]), w)))(x);
    const fill = (v: tf.Tensor) => tf.reshape(tf.mul(tf.reshape(v, [2, 3, 1, 3, 1, 2]), tf.ones([1, 1, 2, 1, 2, 1])), [2, 6, 6, 2]);
    const byFill = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(fill(v), w)))(x);
    expect(compareArrays(values(byResize), values(byFill), 1e-6).ok).toBe(true);
  });

  it('is the adjoint of the forward op (<R x, w> = <x, Rᵀ w>) and agrees between cpu and wasm, for every mode', async () => {
    for (const [alignCorners, halfPixelCenters] of [[false, false], [true, false], [false, true]] as const) {
      const { cpu, wasm } = await onBoth(() =>
        tf.tidy(() => {
          const x = seededTensor({ shape: [2, 3, 4, 2] }, 12) as tf.Tensor4D;
          const w = seededTensor({ shape: [2, 7, 5, 2] }, 13);
          const resize = (v: tf.Tensor) => tf.image.resizeNearestNeighbor(v as tf.Tensor4D, [7, 5], alignCorners, halfPixelCenters);
          const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(resize(v), w)))(x);
          const forwardPairing = tf.sum(tf.mul(resize(x), w)).dataSync()[0]!;
          const adjointPairing = tf.sum(tf.mul(x, grad)).dataSync()[0]!;
          return { grad: values(grad), forwardPairing, adjointPairing };
        }),
      );
      const mode = `alignCorners=${alignCorners} halfPixelCenters=${halfPixelCenters}`;
      for (const result of [cpu, wasm]) expect(result.adjointPairing, mode).toBeCloseTo(result.forwardPairing, 4);
      expect(compareArrays(wasm.grad, cpu.grad, 1e-5).ok, mode).toBe(true);
    }
  });
});

describe('UnsortedSegmentSum on wasm', () => {
  it('sums rows into segments, drops out-of-range ids, keeps int32', async () => {
    const { cpu, wasm } = await onBoth(() =>
      tf.tidy(() => {
        const ids = tf.tensor1d([2, 0, 2, 5, -1], 'int32');
        const floats = tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]), ids, 3);
        const ints = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4, 5], 'int32'), ids, 3);
        return { floats: values(floats), shape: floats.shape, ints: values(ints), dtype: ints.dtype };
      }),
    );
    expect(wasm).toEqual({ floats: [3, 4, 0, 0, 6, 8], shape: [3, 2], ints: [2, 0, 4], dtype: 'int32' });
    expect(wasm.floats).toEqual(cpu.floats);
    expect(wasm.ints).toEqual(cpu.ints); // (cpu returns int sums as float32; wasm keeps x's dtype, as TF does)
  });
});

describe('a training step on wasm', () => {
  /** conv (stride 2) → maxpool → upsample → deconv → sigmoid, mse; the optimiser updates variables. */
  function makeModel(): tf.Variable[] {
    return [
      tf.variable(seededTensor({ shape: [3, 3, 1, 4] }, 20)),
      tf.variable(tf.zeros([4])),
      tf.variable(seededTensor({ shape: [3, 3, 1, 4] }, 21)),
    ];
  }

  function trainSteps(optimizer: tf.Optimizer, steps: number, vars = makeModel(), keep = false): number[][] {
    const [f1, b1, f2] = vars as [tf.Variable, tf.Variable, tf.Variable];
    const x = tf.tidy(() => tf.sigmoid(seededTensor({ shape: [2, 8, 8, 1] }, 22))) as tf.Tensor4D;
    for (let i = 0; i < steps; i++) {
      optimizer.minimize(() => {
        const h = tf.relu(tf.add(tf.conv2d(x, f1 as tf.Tensor4D, 2, 'same'), b1)) as tf.Tensor4D;
        const pooled = tf.maxPool(h, 2, 2, 'valid');
        const up = tf.image.resizeNearestNeighbor(pooled, [4, 4]);
        const xHat = tf.sigmoid(tf.conv2dTranspose(up, f2 as tf.Tensor4D, [2, 8, 8, 1], 2, 'same'));
        return tf.mean(tf.squaredDifference(xHat, x)) as tf.Scalar;
      });
    }
    const out = vars.map(values);
    tf.dispose(keep ? [x] : [...vars, x]);
    return out;
  }

  it('Adam, SGD and RMSProp steps agree with cpu', async () => {
    for (const make of [() => tf.train.adam(0.01), () => tf.train.sgd(0.5), () => tf.train.rmsprop(0.01)]) {
      const { cpu, wasm } = await onBoth(() => {
        const optimizer = make();
        const result = trainSteps(optimizer, 3);
        optimizer.dispose();
        return result;
      });
      cpu.forEach((variable, i) => expect(compareArrays(wasm[i]!, variable, 1e-4).ok).toBe(true));
      expect(cpu[0]).not.toEqual(values(seededTensor({ shape: [3, 3, 1, 4] }, 20))); // it did train
    }
  });

  it('leaks no tensors across steps', async () => {
    await tf.setBackend('wasm');
    const optimizer = tf.train.adam(0.01);
    const model = makeModel();
    trainSteps(optimizer, 1, model, true); // creates the optimiser's slots
    const before = tf.memory().numTensors;
    trainSteps(optimizer, 3, model, true);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    tf.dispose(model);
  });
});
