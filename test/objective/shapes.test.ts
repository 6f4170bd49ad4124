import { describe, expect, it } from 'vitest';
import { lowerObjective } from '../../compiler/objective/index.js';
import { buildModel } from './factory.js';
import { codes } from './helpers.js';

function lower(loss: string) {
  const built = buildModel({
    inputs: ['x: [784] in [0, 1]', 'y: label(10)'],
    encoder: 'dense(128, act = relu) as h',
    latent: 'z = dense(32)',
    output: 'x_hat = sigmoid',
    heads: ['digits on z { dense(10, act = softmax) }', 'wide on z { dense(12) }'],
    loss,
  });
  return lowerObjective(built.model, built.loss!);
}

describe('argument shapes agree (AE4011) and heads match their labels (AE4012)', () => {
  it('rejects mse of tensors of different shapes, pointing at the second with the first as related', () => {
    const { diagnostics } = lower('mse(x_hat, h)');
    expect(codes(diagnostics)).toEqual(['AE4011 9:21']);
    expect(diagnostics[0]!.message).toBe('`mse` compares tensors of different shapes: `x_hat` is [784], `h` is [128]');
    expect(diagnostics[0]!.related[0]!.range.start.line).toBe(6);
  });

  it('lowers cross_entropy on a softmax head from its logits', () => {
    const { terms, diagnostics } = lower('mse(x_hat, x) + cross_entropy(digits, y)');
    expect(diagnostics).toEqual([]);
    expect(terms[1]).toMatchObject({ fn: 'cross_entropy', args: ['head.digits', 'y'], options: { reduce: 'mean', fromLogits: 'head.digits.logits' } });
  });

  it('treats a linear head as logits', () => {
    const built = buildModel({
      inputs: ['x: [784] in [0, 1]', 'y: label(12)'],
      encoder: 'dense(128, act = relu) as h',
      latent: 'z = dense(32)',
      output: 'x_hat = sigmoid',
      heads: ['wide on z { dense(12) }'],
      loss: 'mse(x_hat, x) + cross_entropy(wide, y)',
    });
    expect(lowerObjective(built.model, built.loss!).terms[1]!.options).toEqual({ reduce: 'mean', fromLogits: 'head.wide' });
  });

  it('rejects cross_entropy against a tensor that is not labels (AE4015), pointing at it', () => {
    const { diagnostics } = lower('mse(x_hat, x) + cross_entropy(wide, wide)');
    expect(codes(diagnostics)).toEqual(['AE4015 9:46']);
    expect(diagnostics[0]!.message).toBe('`cross_entropy` compares with class labels; `wide` is not a `label(N)` input');
  });

  it('rejects a 12-wide head for label(10), pointing at the head with the label as related', () => {
    const { diagnostics } = lower('mse(x_hat, x) + cross_entropy(wide, y)');
    expect(codes(diagnostics)).toEqual(['AE4012 9:40']);
    expect(diagnostics[0]!.related[0]).toMatchObject({ message: '`y` is declared here as `label(10)`' });
  });

  it('rejects labels given first', () => {
    expect(codes(lower('cross_entropy(y, digits)').diagnostics)).toEqual(['AE4005 9:24']);
  });
});
