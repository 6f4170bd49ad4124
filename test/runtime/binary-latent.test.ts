// A `binary(k)` code compiled by the checker and run by the runtime: the bits depend on the input.
// (The compiler once applied a sigmoid before the binarizer, which reads logits, so every bit was 1.)
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import { buildProgram } from '../../runtime/program/program.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

const SOURCE = `model bits {
  input x: [16] in [0, 1]
  encoder { dense(8, act = relu) }
  latent z = binary(6)
  decoder = mirror(encoder)
  output x_hat = sigmoid
  loss = bce(x_hat, x)
}
`;

describe('binary latent', () => {
  it('gives bits that vary with the input, in inference and in training', () => {
    const analysis = analyzeSource(SOURCE, 'bits.ae');
    expect(analysis.diagnostics).toEqual([]);
    const ir = analysis.irs[0]!;
    const program = buildProgram(ir, { seed: 5 });
    for (const training of [false, true]) {
      const bits = tf.tidy(() => {
        const x = tf.randomUniform([64, 16], 0, 1, 'float32', 7);
        return program.forward({ x }, { training }).get(ir.outputs.latent)!.clone();
      });
      const values = Array.from(bits.dataSync());
      bits.dispose();
      expect(new Set(values)).toEqual(new Set([0, 1]));
      const ones = values.filter((v) => v === 1).length / values.length;
      expect(ones).toBeGreaterThan(0.1);
      expect(ones).toBeLessThan(0.9);
    }
    program.dispose();
  });
});
