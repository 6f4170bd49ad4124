import { describe, expect, it } from 'vitest';
import { unusedHead } from '../../compiler/lints/unused-head.js';
import { codes, lint } from './run.js';

const withHead = {
  inputs: ['x: [784] in [0, 1]', 'y: label(10)'],
  heads: ['digits on z { dense(10, act = softmax) }'],
};

describe('AE5005 unused head', () => {
  it('warns at the head name when no loss names it', () => {
    const warnings = lint(unusedHead, withHead);
    expect(codes(warnings)).toEqual(['AE5005 6:8']);
    expect(warnings[0]!.range.end.column).toBe(14);
  });

  it('accepts a head named by a phase loss', () => {
    expect(lint(unusedHead, { ...withHead, trains: [{ name: 'pre' }, { name: 'tune', loss: 'cross_entropy(digits, y)' }] })).toEqual([]);
  });
});
