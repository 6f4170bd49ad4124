import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import { diagnosticCatalogue } from '../../diagnostics/codes/index.js';
import { completeExample, docSections } from './doc-examples.js';

const sections = docSections();
const documented = new Map(sections.map((s) => [s.code, s]));
const codes = Object.keys(diagnosticCatalogue);

/** Codes whose examples cannot run as one file here, and why. */
const notRunnable: Record<string, string> = {
  AE2008: 'needs a file system without the imported file',
  AE2009: 'needs two files that import each other',
  AE1024: 'needs a 65-deep expression; test/fuzz/totality.test.ts checks it',
  AE1025: 'needs over 100 syntax errors; test/grammar/syntax-cap.test.ts checks it',
  AE2021: 'needs a chain of 65 blocks; test/fuzz/totality.test.ts checks it',
  AE6001: 'reported by `ae sample`/`ae interpolate` on a trained run; test/runtime/conditional.test.ts checks it',
  AE6002: 'reported by `ae sample`/`ae interpolate` on a trained run; test/runtime/conditional.test.ts checks it',
  AE3005: 'no model reaches it: mirror builds transposable kernels, and shape errors (AE3007) come first; test/check/tied.test.ts checks the guarantee',
};

/** `lib.ae`, for the examples that import a block library; no other file exists. */
const readFile = (file: string) =>
  file.endsWith('lib.ae') ? 'let code = 30\nblock down(c) { conv2d(c, kernel = 3, padding = same, act = relu), maxpool(2) }\n' : undefined;

function diagnose(example: string) {
  return analyzeSource(completeExample(example), 'example.ae', { readFile }).diagnostics;
}

describe('docs/diagnostics.md', () => {
  it('has a section for every code of the catalogue', () => {
    expect(codes.filter((code) => !documented.has(code))).toEqual([]);
  });

  it('documents no code the catalogue lacks, in code order', () => {
    expect(sections.map((s) => s.code).filter((code) => !(code in diagnosticCatalogue))).toEqual([]);
    expect(sections.map((s) => s.code)).toEqual(sections.map((s) => s.code).sort());
  });

  it('gives each code its catalogue title and severity, and a wrong and a right example', () => {
    for (const section of sections) {
      const entry = diagnosticCatalogue[section.code as keyof typeof diagnosticCatalogue];
      expect(section.title, section.code).toBe(entry.title);
      expect(section.body, section.code).toContain(`**${entry.severity}.**`);
      expect(section.wrong, section.code).toBeTruthy();
      expect(section.right, section.code).toBeTruthy();
    }
  });

  for (const section of sections.filter((s) => !(s.code in notRunnable))) {
    it(`${section.code}: the wrong example reports it, the right one compiles without it`, () => {
      expect(diagnose(section.wrong!).map((d) => d.code)).toContain(section.code);
      const right = diagnose(section.right!);
      expect(right.filter((d) => d.severity === 'error' || d.code === section.code).map((d) => `${d.code} ${d.message}`)).toEqual([]);
    });
  }
});
