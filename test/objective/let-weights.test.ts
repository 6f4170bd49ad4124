// Issue 22: a `let` that is no number, used as a loss weight, is reported for what it holds, and a
// `let` that cannot be a value is reported at the let (not as "unknown name" where it is used).
import { describe, expect, it } from 'vitest';
import { analyze, codes } from '../check/helpers.js';

const file = (lets: string, loss: string) =>
  `${lets}\nmodel m {\n  input x: [8] in [0, 1]\n  encoder { dense(4) }\n  latent z = dense(2)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = ${loss}\n}\n`;

describe('a let used as a loss weight', () => {
  it('holding an activation is AE2014 naming it, with no did-you-mean to another constant', () => {
    const analysis = analyze(file('let h = tanh\nlet lam = 0.1', 'mse(x_hat, x) + h * l1(z)'));
    expect(codes(analysis)).toEqual(['AE2014@9:26']);
    const [d] = analysis.diagnostics;
    expect(d!.message).toBe('`h`, a loss weight, must be a number, but it holds the activation `tanh`');
    expect(d!.notes.join()).not.toContain('did you mean');
  });

  it('holding a list is AE2014 too', () => {
    expect(analyze(file('let w = [1, 2]', 'mse(x_hat, x) + w * l1(z)')).diagnostics[0]!.message).toBe('`w`, a loss weight, must be a number, but it holds a list');
  });

  it('`let beta = linear(0, 4)` is AE2006 at the let, and its use is no second error', () => {
    const analysis = analyze(file('let beta = linear(0, 4)', 'mse(x_hat, x) + beta * l2(z)'));
    expect(codes(analysis)).toEqual(['AE2006@1:19']);
    expect(analysis.diagnostics[0]!.message).toBe('the activation `linear` takes no arguments, but gets 2');
    expect(analysis.diagnostics[0]!.notes).toEqual(['`linear` is the identity activation, not a schedule: a loss weight is one number for the whole run']);
  });

  it('still takes `let act = leaky_relu(0.1)` and a numeric weight', () => {
    expect(codes(analyze(file('let act = leaky_relu(0.1)\nlet beta = 4', 'mse(x_hat, x) + beta * l2(z)')))).toEqual([]);
  });
});
