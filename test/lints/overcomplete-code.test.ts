import { describe, expect, it } from 'vitest';
import { overcompleteCode } from '../../compiler/lints/overcomplete-code.js';
import { codes, lint } from './run.js';

const wide = { inputs: ['x: [16] in [0, 1]'], latent: 'z = dense(64, act = sigmoid)' };

describe('AE5001 overcomplete code without a regulariser', () => {
  it('warns at the latent call, says both widths and offers an l1 penalty', () => {
    const warnings = lint(overcompleteCode, wide);
    expect(codes(warnings)).toEqual(['AE5001 3:14']);
    expect(warnings[0]!.message).toContain('64 units for an input of 16 values');
    expect(warnings[0]!.fix?.edits[0]?.newText).toBe(' + 1e-4 * l1(z)');
    expect(warnings[0]!.fix?.edits[0]?.range.start).toMatchObject({ line: 5, column: 23 });
  });

  it('accepts a regulariser in the loss or in a phase', () => {
    expect(lint(overcompleteCode, { ...wide, loss: 'mse(x_hat, x) + 3 * kl_sparsity(z, rho = 0.05)' })).toEqual([]);
    expect(lint(overcompleteCode, { ...wide, trains: [{ loss: 'mse(x_hat, x) + 1e-4 * contractive(z, x)' }] })).toEqual([]);
  });

  it('accepts a corrupted input (a denoising autoencoder)', () => {
    expect(lint(overcompleteCode, { ...wide, corrupt: ['x with mask(p = 0.3)'] })).toEqual([]);
  });

  it('is silent for an undercomplete code and for a vq codebook', () => {
    expect(lint(overcompleteCode, { latent: 'z = dense(32)' })).toEqual([]);
    expect(lint(overcompleteCode, { ...wide, latent: 'z = vq(codes = 512, dim = 64)', loss: 'mse(x_hat, x) + vq_loss(z)' })).toEqual([]);
  });
});
