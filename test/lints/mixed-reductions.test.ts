import { describe, expect, it } from 'vitest';
import { mixedReductions } from '../../compiler/lints/mixed-reductions.js';
import { codes, lint } from './run.js';

describe('AE5008 loss mixes sum and mean reductions', () => {
  it('warns at the first averaged term, with the summed one related, and sums every averaged term as the fix', () => {
    const warnings = lint(mixedReductions, { latent: 'z = gaussian(8)', loss: 'mse(x_hat, x) + l1(z) + kl(z)' });
    expect(codes(warnings)).toEqual(['AE5008 5:10']);
    expect(warnings[0]!.message).toContain('`mse` averages');
    expect(warnings[0]!.related?.[0]).toMatchObject({ message: '`kl` sums here (its default)', range: { start: { line: 5, column: 34 } } });
    expect(warnings[0]!.fix?.edits.map((e) => [e.range.start.column, e.newText])).toEqual([
      [22, ', reduce = sum'],
      [30, ', reduce = sum'],
    ]);
  });

  it('replaces a written `reduce = mean` in the fix', () => {
    const warnings = lint(mixedReductions, { loss: 'mse(x_hat, x, reduce = mean) + l2(z, reduce = sum)' });
    expect(codes(warnings)).toEqual(['AE5008 5:10']);
    expect(warnings[0]!.fix?.edits).toMatchObject([{ newText: 'sum', range: { start: { column: 33 }, end: { column: 37 } } }]);
  });

  it('accepts the ELBO as written (bce summed + kl) and losses reduced one way', () => {
    expect(lint(mixedReductions, { latent: 'z = gaussian(8)', loss: 'bce(x_hat, x, reduce = sum) + kl(z)' })).toEqual([]);
    expect(lint(mixedReductions, { latent: 'z = gaussian(8)', loss: 'mse(x_hat, x) + kl(z, reduce = mean)' })).toEqual([]);
  });

  it('ignores terms whose reduce is not over sample elements (cross_entropy, kl_sparsity, weight_decay, contractive)', () => {
    expect(lint(mixedReductions, { encoder: 'dense(64, act = sigmoid) as h', loss: 'mse(x_hat, x) + kl_sparsity(h, reduce = sum) + weight_decay(reduce = sum)' })).toEqual([]);
    // contractive sums by default: the contractive example's `mse(x_hat, x) + 1e-4 * contractive(z, x)` stays quiet.
    expect(lint(mixedReductions, { latent: 'z = dense(64, act = sigmoid)', loss: 'mse(x_hat, x) + 1e-4 * contractive(z, x)' })).toEqual([]);
  });

  it('checks each phase loss on its own', () => {
    const warnings = lint(mixedReductions, {
      loss: 'mse(x_hat, x)',
      trains: [{ name: 'a', loss: 'mse(x_hat, x, reduce = sum) + l1(z)' }],
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('`l1` averages');
  });
});
