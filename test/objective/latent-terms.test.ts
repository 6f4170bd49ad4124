import { describe, expect, it } from 'vitest';
import { lowerObjective } from '../../compiler/objective/index.js';
import { mnistModel } from './factory.js';
import { codes } from './helpers.js';

function lower(latent: string, loss: string) {
  const built = mnistModel({ latent, loss });
  return lowerObjective(built.model, built.loss!);
}

describe('kl and vq_loss need the matching latent', () => {
  it('gives kl the mean and log-variance of a gaussian latent', () => {
    const { terms, diagnostics } = lower('z = gaussian(2)', 'bce(x_hat, x, reduce = sum) + kl(z)');
    expect(diagnostics).toEqual([]);
    expect(terms[1]).toMatchObject({ fn: 'kl', args: ['latent.z'], options: { reduce: 'sum', mean: 'latent.z.mean', logvar: 'latent.z.logvar' } });
  });

  it('sums kl over the latent units by default (the ELBO term); reduce = mean averages over them', () => {
    expect(lower('z = gaussian(2)', 'kl(z)').terms[0]!.options.reduce).toBe('sum');
    expect(lower('z = gaussian(2)', 'kl(z, reduce = mean)').terms[0]!.options.reduce).toBe('mean');
    expect(lower('z = gaussian(2)', 'bce(x_hat, x)').terms[0]!.options.reduce).toBe('mean');
  });

  it('rejects kl on a dense latent, pointing at the argument with the latent as related (AE4007)', () => {
    const { diagnostics } = lower('z = dense(2)', 'mse(x_hat, x) + kl(z)');
    expect(codes(diagnostics)).toEqual(['AE4007 5:29']);
    expect(diagnostics[0]!.related[0]).toMatchObject({ message: 'the latent is declared here', range: { start: { line: 3, column: 14 } } });
  });

  it('rejects kl on a tensor that is not the latent (AE4007)', () => {
    expect(codes(lower('z = gaussian(2)', 'mse(x_hat, x) + kl(x)').diagnostics)).toEqual(['AE4007 5:29']);
  });

  it('gives vq_loss the commitment of a vq latent', () => {
    const { terms } = lower('z = vq(codes = 512, dim = 64, commitment = 0.5)', 'mse(x_hat, x) + vq_loss(z)');
    expect(terms[1]).toMatchObject({ fn: 'vq_loss', options: { reduce: 'mean', commitment: 0.5 } });
  });

  it('rejects vq_loss on a gaussian latent (AE4008)', () => {
    const { diagnostics } = lower('z = gaussian(8)', 'mse(x_hat, x) + vq_loss(z)');
    expect(codes(diagnostics)).toEqual(['AE4008 5:34']);
    expect(diagnostics[0]!.message).toContain('`gaussian` latent');
  });
});
