import { describe, expect, it } from 'vitest';
import { lowerObjective } from '../../compiler/objective/index.js';
import { mnistModel } from './factory.js';
import { codes } from './helpers.js';

function lower(loss: string, lets = {}) {
  const built = mnistModel({ loss, lets });
  return lowerObjective(built.model, built.loss!);
}
const weights = (loss: string, lets = {}) => lower(loss, lets).terms.map((t) => [t.fn, t.weight]);

describe('the loss as a weighted sum of terms', () => {
  it('lowers a single term with weight 1 and the tensors as node ids', () => {
    const { terms, diagnostics } = lower('mse(x_hat, x)');
    expect(diagnostics).toEqual([]);
    expect(terms).toHaveLength(1);
    expect(terms[0]).toMatchObject({ fn: 'mse', weight: 1, args: ['output', 'x'], options: { reduce: 'mean' } });
    expect(terms[0]!.source).toEqual({ line: 5, column: 10, endLine: 5, endColumn: 23 });
  });

  it('distributes coefficients over sums, products, quotients, negation and parentheses', () => {
    expect(weights('mse(x_hat, x) + 3 * l1(z)')).toEqual([['mse', 1], ['l1', 3]]);
    expect(weights('l1(z) * 0.5 + l2(z) / 4')).toEqual([['l1', 0.5], ['l2', 0.25]]);
    // A term subtracted on its own is AE4016 (test/fuzz/hostile-round3.test.ts); written twice, its
    // weights add up.
    expect(weights('2 * (mse(x_hat, x) - 0.5 * l1(z)) + 2 * l1(z)')).toEqual([['mse', 2], ['l1', -1], ['l1', 2]]);
    expect(weights('-(-l2(z))')).toEqual([['l2', 1]]);
    expect(codes(lower('-l2(z)').diagnostics)).toEqual(['AE4016 5:11']);
    expect(weights('(1 + 1) * l1(z) / (2 * 2)')).toEqual([['l1', 0.5]]);
  });

  it('reads coefficients from constants', () => {
    expect(weights('mse(x_hat, x) + beta * l1(z)', { beta: 1e-4 })).toEqual([['mse', 1], ['l1', 1e-4]]);
  });

  it('keeps a bare `weight_decay` as the call without arguments', () => {
    expect(weights('mse(x_hat, x) + 1e-5 * weight_decay')).toEqual([['mse', 1], ['weight_decay', 1e-5]]);
    expect(weights('mse(x_hat, x) + 1e-5 * weight_decay()')).toEqual([['mse', 1], ['weight_decay', 1e-5]]);
  });

  it('rejects a product of two terms, pointing at the second factor (AE4004)', () => {
    const { terms, diagnostics } = lower('mse(x_hat, x) * mse(x_hat, x)');
    expect(terms).toEqual([]);
    expect(codes(diagnostics)).toEqual(['AE4004 5:26']);
    expect(diagnostics[0]!.notes.join()).toContain('weighted sum of terms');
  });

  it('rejects division by a term and by zero', () => {
    expect(codes(lower('1 / mse(x_hat, x)').diagnostics)).toEqual(['AE4004 5:14']);
    expect(codes(lower('mse(x_hat, x) / 0').diagnostics)).toEqual(['AE4004 5:26']);
  });

  it('rejects a constant added to the loss, a loss with no terms and a bare tensor', () => {
    expect(codes(lower('mse(x_hat, x) + 1').diagnostics)).toEqual(['AE4004 5:26']);
    expect(codes(lower('2 * 3').diagnostics)).toEqual(['AE4004 5:10']);
    expect(codes(lower('mse(x_hat, x) + z').diagnostics)).toEqual(['AE4004 5:26']);
  });

  it('suggests the loss function a misspelt call meant (AE4001)', () => {
    const { diagnostics } = lower('mse(x_hat, x) + 0.1 * l1_(z)');
    expect(codes(diagnostics)).toEqual(['AE4001 5:32']);
    expect(diagnostics[0]!.notes).toContain('did you mean `l1`?');
    expect(diagnostics[0]!.fix?.edits[0]?.newText).toBe('l1');
  });

  it('reports a member access that is not a constant (AE2010)', () => {
    expect(codes(lower('mse(x_hat, x) + lib.w * l1(z)').diagnostics)).toEqual(['AE2010 5:26']);
  });

  it('reports an unknown name in a coefficient (AE2001)', () => {
    const { diagnostics } = lower('mse(x_hat, x) + bta * l1(z)');
    expect(codes(diagnostics)).toEqual(['AE2001 5:26']);
  });
});
