import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import { diagnosticsOf, modelText } from './source.js';

const where = (d: { range: { start: { line: number; column: number } } }) => `${d.range.start.line}:${d.range.start.column}`;

describe('AE5010 activation applied twice at the output', () => {
  it('warns at the output activation, relates the decoder layer and makes that layer linear as the fix', () => {
    const [warning, ...rest] = diagnosticsOf('AE5010', modelText('{ dense(784, act = sigmoid) }', 'sigmoid', 'bce(x_hat, x)'));
    expect(rest).toEqual([]);
    expect(where(warning!)).toBe('6:18');
    expect(warning!.related?.map(where)).toEqual(['5:13']);
    expect(warning!.fix?.edits).toMatchObject([{ newText: 'linear', range: { start: { line: 5, column: 30 } } }]);
  });

  it('sees through shape-only layers and activation layers of their own', () => {
    const reshaped = diagnosticsOf('AE5010', modelText('{ dense(784, act = relu), reshape([28, 28, 1]), flatten }', 'sigmoid', 'mse(x_hat, x)'));
    expect(reshaped.map((d) => d.message)).toEqual(["`output x_hat = sigmoid` is applied after the decoder's last layer, which already applies `relu`"]);
    expect(reshaped[0]!.related?.map(where)).toEqual(['5:13']);
    expect(diagnosticsOf('AE5010', modelText('{ dense(784), sigmoid }', 'sigmoid', 'bce(x_hat, x)')).map(where)).toEqual(['6:18']);
  });

  it('accepts one activation: a linear last layer, a linear output, or a mirrored decoder', () => {
    expect(diagnosticsOf('AE5010', modelText('{ dense(784) }', 'sigmoid', 'bce(x_hat, x)'))).toEqual([]);
    expect(diagnosticsOf('AE5010', modelText('{ dense(784, act = sigmoid) }', 'linear', 'mse(x_hat, x)'))).toEqual([]);
    expect(diagnosticsOf('AE5010', modelText('= mirror(encoder)', 'sigmoid', 'bce(x_hat, x)'))).toEqual([]);
  });
});

describe('the loss reads the declared output', () => {
  const bceOptions = (decoder: string) => {
    const analysis = analyzeSource(modelText(decoder, 'sigmoid', 'bce(x_hat, x)'), 'test.ae');
    return analysis.irs[0]!.objective[0]!.options;
  };

  it('takes the logits before the output sigmoid when the decoder ends linear', () => {
    expect(bceOptions('{ dense(784) }')).toEqual({ reduce: 'mean', fromLogits: 'decoder.0.dense' });
  });

  it('reads x_hat itself, not the last layer\'s pre-sigmoid, when the decoder squashes already', () => {
    // decoder.0.dense's `preactivation` is one sigmoid before x_hat: a loss on it would skip the output's.
    expect(bceOptions('{ dense(784, act = sigmoid) }')).toEqual({ reduce: 'mean' });
  });
});
