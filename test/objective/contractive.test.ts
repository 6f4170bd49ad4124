import { describe, expect, it } from 'vitest';
import { lowerObjective } from '../../compiler/objective/index.js';
import { mnistModel } from './factory.js';
import { codes } from './helpers.js';

function lower(latent: string, loss: string) {
  const built = mnistModel({ latent, loss, inputs: ['x: [784] in [0, 1]', 'y: label(10)'] });
  return lowerObjective(built.model, built.loss!);
}

describe('contractive(z, x) needs z differentiable from x (AE4009)', () => {
  it('accepts a dense code', () => {
    const { terms, diagnostics } = lower('z = dense(64, act = sigmoid)', 'mse(x_hat, x) + 1e-4 * contractive(z, x)');
    expect(diagnostics).toEqual([]);
    expect(terms[1]).toMatchObject({ fn: 'contractive', weight: 1e-4, args: ['latent.z', 'x'] });
  });

  it('sums the squared Jacobian over its entries by default (the Frobenius norm Rifai et al. weigh by 1e-4), and averages them when asked', () => {
    const byDefault = lower('z = dense(64, act = sigmoid)', 'mse(x_hat, x) + 1e-4 * contractive(z, x)');
    expect(byDefault.terms[1]!.options).toEqual({ reduce: 'sum' });
    const averaged = lower('z = dense(64, act = sigmoid)', 'mse(x_hat, x) + 1e-4 * contractive(z, x, reduce = mean)');
    expect(averaged.terms[1]!.options).toEqual({ reduce: 'mean' });
  });

  it('rejects a binary code, pointing at it, with the latent as related', () => {
    const { diagnostics } = lower('z = binary(16)', 'mse(x_hat, x) + 1e-4 * contractive(z, x)');
    expect(codes(diagnostics)).toEqual(['AE4009 6:45']);
    expect(diagnostics[0]!.related[0]!.message).toBe('the `binary` code is declared here');
    expect(diagnostics[0]!.notes[0]).toContain('straight-through');
  });

  it('rejects differentiating with respect to something that is not a tensor input', () => {
    expect(codes(lower('z = dense(8)', 'mse(x_hat, x) + contractive(z, y)').diagnostics)).toEqual(['AE4009 6:41']);
    expect(codes(lower('z = dense(8)', 'mse(x_hat, x) + contractive(x, z)').diagnostics)).toEqual(['AE4009 6:41']);
  });
});
