import { describe, expect, it } from 'vitest';
import { gaussianWithoutKl } from '../../compiler/lints/gaussian-without-kl.js';
import { codes, lint } from './run.js';

describe('AE5002 gaussian latent without kl', () => {
  it('warns at the latent call and offers `+ kl(z)`', () => {
    const warnings = lint(gaussianWithoutKl, { latent: 'z = gaussian(2)', loss: 'bce(x_hat, x, reduce = sum)' });
    expect(codes(warnings)).toEqual(['AE5002 3:14']);
    expect(warnings[0]!.fix?.edits[0]?.newText).toBe(' + kl(z)');
  });

  it('accepts kl in the model loss or in any phase', () => {
    expect(lint(gaussianWithoutKl, { latent: 'z = gaussian(2)', loss: 'bce(x_hat, x) + kl(z)' })).toEqual([]);
    expect(lint(gaussianWithoutKl, { latent: 'z = gaussian(2)', trains: [{ name: 'a' }, { name: 'b', loss: 'mse(x_hat, x) + 0.5 * kl(z)' }] })).toEqual([]);
  });

  it('is silent for other latents', () => {
    expect(lint(gaussianWithoutKl, { latent: 'z = dense(2)' })).toEqual([]);
  });
});
