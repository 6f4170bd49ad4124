// Each specs/format case formats to its `_output.ae`, and formatting that output changes nothing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatAe } from '../../compiler/format/format.js';
import { formatCases } from './cases.js';

const cases = formatCases();

describe('format goldens', () => {
  it('has a case for every area of the style', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  for (const { name, inputPath, outputPath } of cases) {
    it(`${name}: formats to _output.ae`, async () => {
      const expected = readFileSync(outputPath, 'utf8');
      expect(await formatAe(readFileSync(inputPath, 'utf8'))).toBe(expected);
    });

    it(`${name}: _output.ae is a fixed point`, async () => {
      const output = readFileSync(outputPath, 'utf8');
      expect(await formatAe(output)).toBe(output);
    });
  }
});
