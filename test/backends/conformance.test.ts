import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../runtime/backends/index.js';
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
