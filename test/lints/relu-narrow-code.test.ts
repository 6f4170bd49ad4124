import { describe, expect, it } from 'vitest';
import { reluNarrowCode } from '../../compiler/lints/relu-narrow-code.js';
import { codes, lint } from './run.js';

describe('AE5004 relu on a narrow code', () => {
  it('warns at the `relu` of `act = relu` on a 2-wide code and offers linear', () => {
    const warnings = lint(reluNarrowCode, { latent: 'z = dense(2, act = relu)' });
    expect(codes(warnings)).toEqual(['AE5004 3:29']);
    expect(warnings[0]!.range.end.column).toBe(33);
    expect(warnings[0]!.fix?.edits[0]?.newText).toBe('linear');
  });

  it('warns on a 1-wide code too', () => {
    expect(codes(lint(reluNarrowCode, { latent: 'z = dense(1, act = relu)' }))).toEqual(['AE5004 3:29']);
  });

  it('is silent for wider relu codes and narrow linear ones', () => {
    expect(lint(reluNarrowCode, { latent: 'z = dense(3, act = relu)' })).toEqual([]);
    expect(lint(reluNarrowCode, { latent: 'z = dense(2)' })).toEqual([]);
  });
});
