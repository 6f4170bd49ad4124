import { describe, expect, it } from 'vitest';
import { bceUnboundedOutput } from '../../compiler/lints/bce-unbounded-output.js';
import { codes, lint } from './run.js';

describe('AE5003 bce on an unbounded output', () => {
  it('warns at the prediction argument and offers a sigmoid output', () => {
    const warnings = lint(bceUnboundedOutput, { output: 'x_hat = linear', loss: 'mse(x_hat, x) + bce(x_hat, x)' });
    expect(codes(warnings)).toEqual(['AE5003 5:30']);
    expect(warnings[0]!.message).toContain('activation: linear');
    expect(warnings[0]!.fix).toMatchObject({ edits: [{ newText: 'sigmoid', range: { start: { line: 4, column: 18 } } }] });
  });

  it('warns for a relu layer used as a prediction, without a fix', () => {
    const warnings = lint(bceUnboundedOutput, { encoder: 'dense(784, act = relu) as h', loss: 'bce(h, x)' });
    expect(codes(warnings)).toEqual(['AE5003 6:14']);
    expect(warnings[0]!.fix).toBeUndefined();
  });

  it('accepts sigmoid and softmax outputs', () => {
    expect(lint(bceUnboundedOutput, { output: 'x_hat = sigmoid', loss: 'bce(x_hat, x)' })).toEqual([]);
    expect(lint(bceUnboundedOutput, { output: 'x_hat = softmax', loss: 'bce(x_hat, x)' })).toEqual([]);
  });
});
