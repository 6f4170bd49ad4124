// Formatting changes layout only: every source (valid specs, golden inputs, and seeded token-level
// mutations of them that still parse) formats idempotently, to a text that parses to the same tree
// with the same comments.
import { describe, expect, it } from 'vitest';
import { formatAe } from '../../compiler/format/format.js';
import { parseSource } from '../../grammar/index.js';
import { commentTexts, withoutPositions } from './ast-shape.js';
import { allSources } from './cases.js';
import { mutate } from './mutate.js';

const sources = allSources();
const mutantsPerSource = 12;

function parsesCleanly(text: string): boolean {
  return !parseSource(text).diagnostics.some((d) => d.severity === 'error');
}

async function expectLayoutOnlyChange(text: string): Promise<void> {
  const formatted = await formatAe(text);
  const before = parseSource(text);
  const after = parseSource(formatted);
  expect(after.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(withoutPositions(after.ast)).toEqual(withoutPositions(before.ast));
  expect(commentTexts(after.ast)).toEqual(commentTexts(before.ast));
  expect(await formatAe(formatted)).toBe(formatted);
}

describe('formatting keeps the tree', () => {
  for (const [name, text] of sources) {
    it(`${name}: same AST and comments, idempotent`, async () => {
      await expectLayoutOnlyChange(text);
    });
  }

  for (const [name, text] of sources) {
    it(`${name}: seeded mutations that still parse`, async () => {
      for (let seed = 1; seed <= mutantsPerSource; seed++) {
        const mutant = mutate(text, seed * 7919 + name.length);
        if (!parsesCleanly(mutant)) continue;
        try {
          await expectLayoutOnlyChange(mutant);
        } catch (error) {
          throw new Error(`seed ${seed}: ${(error as Error).message}\n--- mutant:\n${mutant}`);
        }
      }
    });
  }

  it('yields parsing mutants for most sources', () => {
    const parsing = sources.filter(([name, text]) =>
      Array.from({ length: mutantsPerSource }, (_, i) => mutate(text, (i + 1) * 7919 + name.length)).some(parsesCleanly),
    );
    expect(parsing.length).toBeGreaterThan(sources.length / 2);
  });
});
