import { describe, expect, it } from 'vitest';
import { reversedArguments } from '../../compiler/lints/reversed-arguments.js';
import { codes, lint } from './run.js';

describe('AE5009 prediction and target reversed', () => {
  it('warns on bce(x, x_hat) and swaps the arguments as the fix', () => {
    const warnings = lint(reversedArguments, { output: 'x_hat = sigmoid', loss: 'bce(x, x_hat)' });
    expect(codes(warnings)).toEqual(['AE5009 5:10']);
    expect(warnings[0]!.message).toBe('`bce(x, x_hat)` has the target first: `bce` takes the prediction, then the target');
    expect(warnings[0]!.fix?.edits.map((e) => [e.range.start.column, e.newText])).toEqual([
      [14, 'x_hat'],
      [17, 'x'],
    ]);
  });

  it('warns on mse(x, x_hat) too', () => {
    expect(codes(lint(reversedArguments, { loss: '0.5 * mse(x, x_hat)' }))).toEqual(['AE5009 5:16']);
  });

  it('accepts the prediction first, and comparisons that are not input against output', () => {
    expect(lint(reversedArguments, { loss: 'bce(x_hat, x) + mse(x_hat, x)' })).toEqual([]);
    expect(lint(reversedArguments, { encoder: 'dense(784, act = sigmoid) as h', loss: 'mse(x_hat, x) + mse(x, h)' })).toEqual([]);
  });
});
