// specs/format/<case>/_input.ae → _output.ae: what `ae fmt` prints for the input.
import { readFileSync } from 'node:fs';
import { formatAe } from '../../compiler/format/format.js';
import type { GoldenKind } from './kinds.js';
import { formatCases } from '../format/cases.js';

export const formatGoldens: GoldenKind = {
  name: 'format',
  cases: () =>
    formatCases().map(({ inputPath, outputPath }) => ({
      goldenPath: outputPath,
      produce: () => formatAe(readFileSync(inputPath, 'utf8')),
    })),
};
