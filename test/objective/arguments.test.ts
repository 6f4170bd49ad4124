import { describe, expect, it } from 'vitest';
import { lowerObjective } from '../../compiler/objective/index.js';
import { mnistModel } from './factory.js';
import { codes } from './helpers.js';

function lower(loss: string) {
  const built = mnistModel({ loss, lets: { n: 2 } });
  return lowerObjective(built.model, built.loss!);
}

describe('loss arguments', () => {
  it('reads reduce and the numeric options', () => {
    const { terms, diagnostics } = lower('bce(x_hat, x, reduce = sum) + 3 * kl_sparsity(z, rho = 0.1)');
    expect(diagnostics).toEqual([]);
    expect(terms.map((t) => t.options)).toEqual([
      { reduce: 'sum', fromLogits: 'output.logits' },
      { reduce: 'mean', rho: 0.1 },
    ]);
  });

  it('gives kl_sparsity its default rho', () => {
    expect(lower('mse(x_hat, x) + kl_sparsity(z)').terms[1]!.options).toEqual({ reduce: 'mean', rho: 0.05 });
  });

  it('counts tensors (AE4002), pointing at the first extra one', () => {
    expect(codes(lower('mse(x_hat)').diagnostics)).toEqual(['AE4002 5:10']);
    expect(codes(lower('l1(z, x)').diagnostics)).toEqual(['AE4002 5:16']);
    expect(codes(lower('mse(x_hat, x) + weight_decay(z)').diagnostics)).toEqual(['AE4002 5:39']);
  });

  it('rejects an unknown option with did-you-mean (AE4003)', () => {
    const { diagnostics } = lower('mse(x_hat, x, reduse = sum)');
    expect(codes(diagnostics)).toEqual(['AE4003 5:24']);
    expect(diagnostics[0]!.notes).toContain('did you mean `reduce`?');
  });

  it('requires reduce to be mean or sum, and rho a fraction (AE4006)', () => {
    const bad = lower('mse(x_hat, x, reduce = max)');
    expect(codes(bad.diagnostics)).toEqual(['AE4006 5:33']);
    expect(codes(lower('mse(x_hat, x) + kl_sparsity(z, rho = 2)').diagnostics)).toEqual(['AE4006 5:47']);
    expect(codes(lower('mse(x_hat, x) + kl_sparsity(z, rho = "a")').diagnostics)).toEqual(['AE4006 5:47']);
  });

  it('requires each argument to name a tensor (AE4005) that exists (AE2001)', () => {
    expect(codes(lower('l1(3)').diagnostics)).toEqual(['AE4005 5:13']);
    const unknown = lower('mse(x_ht, x)');
    expect(codes(unknown.diagnostics)).toEqual(['AE2001 5:14']);
    expect(unknown.diagnostics[0]!.notes).toContain('did you mean `x_hat`?');
    expect(unknown.diagnostics[0]!.fix).toMatchObject({ edits: [{ newText: 'x_hat' }] });
  });
});
