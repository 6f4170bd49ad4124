import { describe, expect, it } from 'vitest';
import { lintRules } from '../../compiler/lints/index.js';
import { lintsCodes } from '../../diagnostics/codes/lints.js';
import { codes, lint } from './run.js';

describe('runLints', () => {
  it('has one frozen rule per AE5xxx code, in code order', () => {
    expect(Object.isFrozen(lintRules)).toBe(true);
    expect(lintRules.map((r) => r.code)).toEqual(Object.keys(lintsCodes));
  });

  it('runs every rule and reports warnings in rule order', () => {
    const warnings = lint(undefined, { latent: 'z = gaussian(2)', output: 'x_hat = linear', loss: 'bce(x_hat, x)' });
    expect(codes(warnings)).toEqual(['AE5002 3:14', 'AE5003 5:14']);
    expect(warnings.every((w) => w.severity === 'warning')).toBe(true);
  });

  it('is silent on a sound model', () => {
    expect(lint(undefined, {})).toEqual([]);
  });
});
