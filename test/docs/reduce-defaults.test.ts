// Issue 22: each loss term's `reduce` default as docs/language.md's table states it is the compiler's
// (kl_sparsity's row said "Σ over units" while it averaged over them by default).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lossTerms } from '../../compiler/objective/builtins.js';
import { repositoryRoot } from '../goldens/files.js';

const language = readFileSync(join(repositoryRoot, 'docs', 'language.md'), 'utf8');
const rowOf = (name: string) => language.split('\n').find((line) => line.startsWith(`| \`${name}(`));

describe('the reduce default of each loss term in docs/language.md', () => {
  for (const [name, term] of Object.entries(lossTerms)) {
    it(`${name}: the row states no other default than ${term.defaultReduce}`, () => {
      const row = rowOf(name);
      expect(row, name).toBeDefined();
      const stated = [...row!.matchAll(/\(default `(mean|sum)`\)/g)].map((m) => m[1]);
      if (term.defaultReduce === 'sum') expect(stated).toEqual(['sum']);
      else expect(stated.every((d) => d === 'mean')).toBe(true);
      // "Σ over units" with no mention of `reduce = sum` was the old, wrong wording.
      if (term.defaultReduce === 'mean') expect(row!.includes('Σ over') && !row!.includes('reduce = sum')).toBe(false);
    });
  }
});
