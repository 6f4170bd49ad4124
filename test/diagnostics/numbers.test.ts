// thousands() writes what toLocaleString('en-US') writes, without loading ICU; sortDiagnostics orders
// by code unit, whatever the locale.
import { describe, expect, it } from 'vitest';
import { thousands } from '../../diagnostics/numbers.js';
import { diagnostic, sortDiagnostics } from '../../diagnostics/diagnostic.js';

describe('thousands', () => {
  const integers = [0, 7, 42, 999, 1_000, 9_999, 10_000, 123_456, 999_999, 1_000_000, 500_000_000, 2 ** 40, Number.MAX_SAFE_INTEGER];
  for (const n of [...integers, ...integers.slice(1).map((i) => -i)]) {
    it(`writes ${n} as toLocaleString does`, () => expect(thousands(n)).toBe(n.toLocaleString('en-US')));
  }

  it('leaves fractions and unsafe integers to toLocaleString', () => {
    expect(thousands(1234.5)).toBe('1,234.5');
    expect(thousands(2 ** 60)).toBe((2 ** 60).toLocaleString('en-US'));
  });
});

describe('sortDiagnostics', () => {
  const at = (offset: number) => ({ start: { offset, line: 1, column: offset + 1 }, end: { offset, line: 1, column: offset + 1 } });

  it('orders files by code unit (upper case first), then offset, then code', () => {
    const sorted = sortDiagnostics([
      { ...diagnostic('AE2001', 'b', at(5)), file: 'a.ae' },
      { ...diagnostic('AE1002', 'c', at(5)), file: 'a.ae' },
      { ...diagnostic('AE1001', 'd', at(9)), file: 'B.ae' },
      { ...diagnostic('AE1001', 'e', at(1)), file: 'a.ae' },
    ]);
    expect(sorted.map((d) => `${d.file}:${d.range.start.offset}:${d.code}`)).toEqual(['B.ae:9:AE1001', 'a.ae:1:AE1001', 'a.ae:5:AE1002', 'a.ae:5:AE2001']);
  });
});
