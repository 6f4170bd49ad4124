import { describe, expect, it } from 'vitest';
import { unusedLayerName } from '../../compiler/lints/unused-layer-name.js';
import { codes, lint } from './run.js';

describe('AE5006 unused layer name', () => {
  it('warns at the `as` name when nothing uses it', () => {
    const warnings = lint(unusedLayerName, { encoder: 'dense(128, act = relu) as hidden, dense(64)' });
    expect(codes(warnings)).toEqual(['AE5006 3:39']);
    expect(warnings[0]!.range.end.column).toBe(45);
  });

  it('accepts a name used by a loss, a head or a freeze list', () => {
    const encoder = 'dense(128, act = sigmoid) as h';
    expect(lint(unusedLayerName, { encoder, loss: 'mse(x_hat, x) + 3 * kl_sparsity(h)' })).toEqual([]);
    expect(lint(unusedLayerName, { encoder, inputs: ['x: [784] in [0, 1]', 'y: label(10)'], heads: ['c on h { dense(10) }'], loss: 'mse(x_hat, x) + cross_entropy(c, y)' })).toEqual([]);
    expect(lint(unusedLayerName, { encoder, trains: [{ settings: ['freeze = [h]'] }] })).toEqual([]);
  });
});
