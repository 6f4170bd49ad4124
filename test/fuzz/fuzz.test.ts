// The fuzzer at CI size: a fixed range of seeds of test/fuzz/generate.ts through every property of
// test/fuzz/properties.ts (no exception, no input over the time limit, ranges inside the file,
// clean => schema-valid IR), and every minimised finding in specs/fuzz kept fixed. The long run,
// with a training step per clean IR, is `npm run fuzz -- --count N`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repositoryRoot, specFiles } from '../goldens/files.js';
import { fuzzInput, seedTexts } from './generate.js';
import { checkInput } from './properties.js';

/** Inputs per CI run: about 10 s on one of CI's two cores. */
const COUNT = 400;
/** CPU time per input: the property's 2 s (bench/adversarial.ts holds every family well under it). */
const TIME_LIMIT_MS = 2_000;

describe('fuzzing', () => {
  it(`keeps every property on ${COUNT} generated and mutated inputs`, { timeout: 120_000 }, async () => {
    const corpus = seedTexts(repositoryRoot);
    // Loads the formatter and warms the compiler, so the first input is not timed with them.
    await checkInput(corpus[0]!, { timeLimitMs: 60_000 });
    const failures: string[] = [];
    const origins = new Map<string, number>();
    let clean = 0;
    for (let seed = 1; seed <= COUNT; seed++) {
      const input = fuzzInput(seed, corpus);
      const outcome = await checkInput(input.text, { timeLimitMs: TIME_LIMIT_MS });
      const kind = input.origin.split('+')[0]!;
      origins.set(kind, (origins.get(kind) ?? 0) + 1);
      if (outcome.clean) clean++;
      if (outcome.failure) failures.push(`seed ${seed} (${input.origin}): ${outcome.failure.kind}: ${outcome.failure.message}\n${input.text}`);
    }
    expect(failures).toEqual([]);
    // The generator must reach every stage: clean files (IR), and the mutation families.
    expect(clean).toBeGreaterThan(COUNT / 10);
    expect(origins.get('generated')! + origins.get('spec')!).toBeGreaterThan(COUNT / 2);
    expect([...origins.keys()].some((k) => k.startsWith('family:'))).toBe(true);
  });

  it('generates the same input from the same seed', () => {
    const corpus = seedTexts(repositoryRoot);
    expect(fuzzInput(1234, corpus)).toEqual(fuzzInput(1234, corpus));
    expect(fuzzInput(1234, corpus).text).not.toBe(fuzzInput(1235, corpus).text);
  });

  for (const file of specFiles('fuzz')) {
    it(`keeps ${file.slice(repositoryRoot.length)} fixed`, async () => {
      const outcome = await checkInput(readFileSync(file, 'utf8'), { timeLimitMs: TIME_LIMIT_MS });
      expect(outcome.failure).toBeUndefined();
      expect(outcome.codes.length).toBeGreaterThan(0);
    });
  }
});
