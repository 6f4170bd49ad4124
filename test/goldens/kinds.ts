// The registry of golden-file kinds. Each kind lists its cases: where the golden lives and how to
// produce its text now. `npm run accept` rewrites goldens from `produce`; test/goldens.test.ts only
// compares. Other areas add their kind (IR, format, check) to `goldenKinds` with one import.
import { syntaxErrorGoldens } from './syntax-errors.js';
import { checkGoldens } from './checks.js';
import { irGoldens } from './ir.js';
import { formatGoldens } from './format.js';
import { fuzzGoldens } from '../fuzz/goldens.js';
import { stepGoldens } from './step.js';

export interface GoldenCase {
  /** Absolute path of the golden file. */
  goldenPath: string;
  produce(): Promise<string> | string;
}

export interface GoldenKind {
  name: string;
  cases(): GoldenCase[];
}

export const goldenKinds: readonly GoldenKind[] = [syntaxErrorGoldens, checkGoldens, irGoldens, formatGoldens, fuzzGoldens, stepGoldens];
