import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../runtime/backends/index.js';
import { withTfjsKernels } from '../../runtime/kernels/index.js';
import { OP_CASES } from './cases.js';
import { compareArrays, runCase, type CaseResult } from './compare.js';

/**
 * Every op a model lowers to, forward and gradient, on cpu (the reference) and on wasm, from the
 * same seeded inputs. tfjs backends are global state, so each case switches backend and copies
 * its results out with dataSync before switching again.
 */
const maxErrors: string[] = [];

function on(backend: 'cpu' | 'wasm', run: () => CaseResult): Promise<CaseResult> {
  return tf.setBackend(backend).then(() => run());
}

beforeAll(async () => {
  await selectBackend('cpu');
  await selectBackend('wasm');
});

afterAll(() => {
  // The per-op numbers behind the assertions (max |wasm − cpu|), for the record.
  console.log(`max abs error wasm vs cpu:\n${maxErrors.join('\n')}`);
});

describe('wasm agrees with cpu, forward and gradient', () => {
  for (const opCase of OP_CASES) {
    it(opCase.name, async () => {
      const reference = await on('cpu', () => runCase(opCase));
      const actual = await on('wasm', () => runCase(opCase));
      const tolerance = opCase.tolerance ?? 1e-4;

      expect(actual.forward.length).toBe(reference.forward.length);
      expect(actual.grads.length).toBe(reference.grads.length);
      expect(reference.forward.every(Number.isFinite)).toBe(true);
      const forward = compareArrays(actual.forward, reference.forward, tolerance);
      const grads = actual.grads.map((grad, i) => compareArrays(grad, reference.grads[i]!, tolerance));
      maxErrors.push(
        `  ${opCase.name}: forward ${forward.maxAbs.toExponential(2)}` +
          grads.map((g, i) => `, grad[${i}] ${g.maxAbs.toExponential(2)}`).join(''),
      );
      expect(forward.ok, `forward max abs error ${forward.maxAbs}`).toBe(true);
      grads.forEach((g, i) => expect(g.ok, `grad[${i}] max abs error ${g.maxAbs}`).toBe(true));
      // A gradient that is all zeros would agree trivially; make sure something flowed.
      for (const grad of reference.grads) expect(grad.some((v) => v !== 0)).toBe(true);
    });
  }
});

/**
 * The same comparison on tfjs-backend-wasm 4.22's own kernels for the two the runtime replaces
 * because they compute wrongly: each case above that runs them must then disagree with cpu, i.e.
 * the suite would have caught the bug. The wrong values are asserted so a tfjs upgrade that fixes
 * a kernel shows up here.
 */
describe('on the unpatched tfjs wasm kernels the same cases disagree with cpu', () => {
  const runUnpatched = (kernelName: string, opCase: (typeof OP_CASES)[number]) =>
    withTfjsKernels('wasm', [kernelName], () => on('wasm', () => runCase(opCase)));
  const caseNamed = (name: string) => OP_CASES.find((c) => c.name === name)!;

  it('OneHot float32: 1.4e-45 (the bits of int 1) instead of 1', async () => {
    const opCase = caseNamed('oneHot float32 × codebook');
    const reference = await on('cpu', () => runCase(opCase));
    const unpatched = await runUnpatched('OneHot', opCase);
    const forward = compareArrays(unpatched.forward, reference.forward, 1e-4);
    expect(forward.ok).toBe(false);
    // One-hot rows of 1.4e-45 pick (almost) nothing out of the codebook, and no gradient reaches it.
    expect(Math.max(...unpatched.forward.map(Math.abs))).toBeLessThan(1e-40);
    expect(Math.max(...unpatched.grads[0]!.map(Math.abs))).toBeLessThan(1e-40);
    const onValue = await withTfjsKernels('wasm', ['OneHot'], () =>
      on('wasm', () => ({ forward: Array.from(tf.oneHot(tf.tensor1d([1], 'int32'), 2, 1, 0, 'float32').dataSync()), grads: [] })),
    );
    expect(onValue.forward).toEqual([0, 1.401298464324817e-45]);
  });

  for (const name of [
    'fused matMul transposeB + bias + linear (tied inference)',
    'fused matMul transposeB + bias + relu (tied inference)',
    'fused matMul transposeA + bias',
    'fused matMul batched + bias + elu',
  ]) {
    it(`_FusedMatMul: ${name} adds the bias in the wrong places`, async () => {
      const opCase = caseNamed(name);
      const reference = await on('cpu', () => runCase(opCase));
      const unpatched = await runUnpatched('_FusedMatMul', opCase);
      const forward = compareArrays(unpatched.forward, reference.forward, 1e-4);
      expect(forward.ok).toBe(false);
      expect(forward.maxAbs).toBeGreaterThan(0.1);
    });
  }

  it('_FusedMatMul transposeB + bias on a small exact product: the second row gets bias[3] everywhere', async () => {
    const product = () =>
      tf.tidy(() =>
        Array.from(
          tf.fused
            .matMul({
              a: tf.tensor2d([[1, 2, 3], [4, 5, 6]]),
              b: tf.tensor2d([[1, 0, 1], [2, 1, 0], [0, 3, 1], [1, 1, 1]]),
              transposeB: true,
              bias: tf.tensor1d([10, 20, 30, 40]),
            })
            .dataSync(),
        ),
      );
    const right = [14, 24, 39, 46, 20, 33, 51, 55];
    expect(await withTfjsKernels('wasm', ['_FusedMatMul'], () => on('wasm', () => ({ forward: product(), grads: [] })))).toEqual({
      forward: [14, 24, 39, 46, 50, 53, 61, 55],
      grads: [],
    });
    expect((await on('wasm', () => ({ forward: product(), grads: [] }))).forward).toEqual(right);
    expect((await on('cpu', () => ({ forward: product(), grads: [] }))).forward).toEqual(right);
  });
});
