import { describe, expect, it } from 'vitest';
import { lowerObjective } from '../../compiler/objective/index.js';
import { mnistModel } from './factory.js';
import { codes } from './helpers.js';

function lower(input: string, output: string, loss = 'bce(x_hat, x)') {
  const built = mnistModel({ inputs: [input], output, loss });
  return lowerObjective(built.model, built.loss!);
}

describe('bce targets lie in [0, 1] (AE4010)', () => {
  it('accepts an input declared in [0, 1] and computes a sigmoid output from its logits', () => {
    const { terms, diagnostics } = lower('x: [784] in [0, 1]', 'x_hat = sigmoid');
    expect(diagnostics).toEqual([]);
    expect(terms[0]!.options).toEqual({ reduce: 'mean', fromLogits: 'output.logits' });
  });

  it('rejects an input in [-1, 1], pointing at the target', () => {
    const { diagnostics } = lower('x: [784] in [-1, 1]', 'x_hat = tanh');
    expect(codes(diagnostics)).toEqual(['AE4010 5:21']);
    expect(diagnostics[0]!.message).toContain('[-1, 1]');
    expect(diagnostics[0]!.related[0]!.range.start).toMatchObject({ line: 2, column: 9 });
  });

  it('rejects an input with no declared range and says how to declare one', () => {
    const { diagnostics } = lower('x: [784]', 'x_hat = sigmoid');
    expect(codes(diagnostics)).toEqual(['AE4010 5:21']);
    expect(diagnostics[0]!.notes.join(' ')).toContain('in [0, 1]');
  });

  it('leaves fromLogits unset on an output that is not a sigmoid', () => {
    expect(lower('x: [784] in [0, 1]', 'x_hat = linear').terms[0]!.options).toEqual({ reduce: 'mean' });
  });
});
