// The library entry (`import ... from 'aelang'`): text to checked IR to a forward pass, using only
// what index.ts exports, as a program embedding aelang would.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { analyzeSource, buildProgram, formatAe, selectBackend, serializeIR, validateIR } from '../index.js';

const SOURCE = `model small { input x: [6] in [0, 1]
  encoder { dense(4, act = tanh) }
  latent z = dense(2)
  decoder = mirror(encoder)
  output x_hat = sigmoid
  loss = bce(x_hat, x) }
`;

describe('library entry', () => {
  it('compiles, validates, formats and runs a model', async () => {
    const analysis = analyzeSource(SOURCE, 'small.ae');
    expect(analysis.diagnostics).toEqual([]);
    const ir = analysis.irs[0]!;
    const round = validateIR(JSON.parse(serializeIR(ir)));
    expect(round.ok).toBe(true);
    expect(await formatAe(SOURCE)).toContain('  encoder {\n    dense(4, act = tanh)\n  }\n');

    await selectBackend('cpu');
    const program = buildProgram(ir, { seed: 1 });
    const shape = tf.tidy(() => program.forward({ x: tf.ones([3, 6]) }, { training: false }).get(ir.outputs.reconstruction)!.shape);
    expect(shape).toEqual([3, 6]);
    program.dispose();
  });
});
