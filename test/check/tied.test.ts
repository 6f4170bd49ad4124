// AE3005's guarantee: every tied pair the mirror builds shares a parameter whose shape agrees with
// what the mirrored layer expects (W transposed for dense, the same kernel for conv ↔ deconv).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tiedShapesAgree } from '../../compiler/check/mirror.js';
import { analyze } from './helpers.js';

describe('tied shapes (AE3005)', () => {
  it('accepts a dense kernel seen transposed, and a conv kernel seen as stored', () => {
    expect(tiedShapesAgree([784, 128], [128, 784], true)).toBe(true);
    expect(tiedShapesAgree([3, 3, 1, 16], [3, 3, 1, 16], false)).toBe(true);
  });

  it('rejects shapes that do not agree', () => {
    expect(tiedShapesAgree([784, 128], [784, 128], true)).toBe(false);
    expect(tiedShapesAgree([3, 3, 1, 16], [3, 3, 16, 1], false)).toBe(false);
    expect(tiedShapesAgree([3, 3, 1, 16], [3, 3, 1], false)).toBe(false);
  });

  const specs = join(import.meta.dirname, '../../specs/valid');
  const tiedSpecs = readdirSync(specs).filter((f) => f.endsWith('.ae') && readFileSync(join(specs, f), 'utf8').includes('tied = true'));

  it('has specs with tied mirrors to check', () => expect(tiedSpecs.length).toBeGreaterThan(2));

  for (const file of tiedSpecs) {
    it(`${file}: every tied parameter agrees with the one it shares`, () => {
      const analysis = analyze(readFileSync(join(specs, file), 'utf8'), {
        'lib/qa-lib.ae': readFileSync(join(specs, 'lib/qa-lib.ae'), 'utf8'),
      });
      expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      let tied = 0;
      for (const ir of analysis.irs) {
        const byId = new Map(ir.parameters.map((p) => [p.id, p]));
        for (const p of ir.parameters.filter((q) => q.tiedTo !== undefined)) {
          const stored = byId.get(p.tiedTo!)!;
          expect(stored.tiedTo, p.id).toBeUndefined();
          expect(tiedShapesAgree(stored.shape, p.shape, p.transpose ?? false), `${ir.model}: ${p.id}`).toBe(true);
          tied++;
        }
      }
      expect(tied).toBeGreaterThan(0);
    });
  }
});
