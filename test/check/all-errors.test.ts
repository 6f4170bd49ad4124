// Issue 22: every independent mistake of a model in one run. A new user's four mistakes took four
// runs of `ae check`, and a misspelt `gausian` hid behind a shape error in the encoder: now a part
// that fails leaves the parts after it checked for what needs no shapes (names and arguments), and
// the loss and train settings for what the failed parts cannot cause.
import { describe, expect, it } from 'vitest';
import { analyze, codes } from './helpers.js';

describe('all the errors of a model at once', () => {
  it('reports a shape error, a misspelt latent, layer, activation, argument and loss function together', () => {
    const text = [
      'model m {',
      '  input x: [8] in [0, 1]',
      '  encoder { dense(4), conv2d(3, kernel = 3) }',
      '  latent z = gausian(2)',
      '  decoder { dense(4, act = relu), dence(8) }',
      '  output x_hat = sigmoidd',
      '  head h on z { dense(3, activation = relu) }',
      '  loss = mse(x_hat, x) + 0.1 * l3(z)',
      '}',
      '',
    ].join('\n');
    const analysis = analyze(text);
    expect(codes(analysis)).toEqual(['AE3002@3:23', 'AE2003@4:14', 'AE2003@5:35', 'AE2004@6:18', 'AE2005@7:26', 'AE4001@8:32']);
    expect(analysis.diagnostics.find((d) => d.code === 'AE2003' && d.range.start.line === 4)!.notes).toContain('did you mean `gaussian`?');
  });

  it('reports a train setting and a subtracted term beside a shape error', () => {
    const text = [
      'model m {',
      '  input x: [8] in [0, 1]',
      '  encoder { dense(4), conv2d(3, kernel = 3) }',
      '  latent z = dense(2)',
      '  decoder = mirror(encoder)',
      '  output x_hat = sigmoid',
      '  loss = mse(x_hat, x) - l1(z)',
      '  train { epochs = 2, optimiser = adam(lr = 0.1) }',
      '}',
      '',
    ].join('\n');
    expect(codes(analyze(text))).toEqual(['AE3002@3:23', 'AE4016@7:26', 'AE4101@8:23']);
  });

  it('checks the decoder, output and heads after a latent error, without cascades from the missing code', () => {
    const text = [
      'model m {',
      '  input x: [8] in [0, 1]',
      '  encoder { dense(4) }',
      '  latent z = gaussian(2, sigma = 1)',
      '  decoder { dense(8, act = tanhh) }',
      '  output x_hat = sigmoid',
      '  head h on z { denss(3) }',
      '  loss = mse(x_hat, x) + kl(z)',
      '}',
      '',
    ].join('\n');
    expect(codes(analyze(text))).toEqual(['AE2005@4:26', 'AE2004@5:28', 'AE2003@7:17']);
  });

  it('still stops at the layer budget: nothing more is expanded once a file is past it', () => {
    const text = 'model m {\n  input x: [8] in [0, 1]\n  encoder { repeat 100 { repeat 101 { dense(4) } } }\n  latent z = gausian(2)\n  decoder { repeat 100 { repeat 101 { dense(4) } } }\n  output x_hat = sigmoid\n  loss = mse(x_hat, x)\n}\n';
    expect(codes(analyze(text))).toEqual(['AE2022@3:13', 'AE2003@4:14']);
  });
});
