import { describe, expect, it } from 'vitest';
import { parameterCount } from '../../compiler/lints/parameter-count.js';
import { formatBytes } from '../../compiler/check/count.js';
import { codes, lint } from './run.js';

describe('AE5007 parameter count too large', () => {
  it('warns at the model name with the count, the bytes and the largest parameter', () => {
    const warnings = lint(parameterCount, {
      parameterCount: 600_000_000,
      parameters: [
        { id: 'encoder.0.dense.kernel', node: 'encoder.0.dense', role: 'kernel', shape: [784, 700_000], init: 'he_normal', trainable: true },
        { id: 'encoder.0.dense.bias', node: 'encoder.0.dense', role: 'bias', shape: [700_000], init: 'zeros', trainable: true },
      ],
    });
    expect(codes(warnings)).toEqual(['AE5007 1:7']);
    expect(warnings[0]!.message).toBe('`m` has 600,000,000 parameters (2.4 GB as float32): too large to fit');
    expect(warnings[0]!.notes[1]).toContain('`encoder.0.dense.kernel` with 548,800,000 values');
  });

  it('is silent at 500M and below', () => {
    expect(lint(parameterCount, { parameterCount: 500_000_000 })).toEqual([]);
  });

  it('formats bytes in SI units', () => {
    expect([formatBytes(512), formatBytes(2_000_000_000), formatBytes(3_140_000)]).toEqual(['512 B', '2 GB', '3.14 MB']);
  });
});
