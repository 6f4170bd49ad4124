// Every golden of every kind equals what the code produces now. Only compares: `npm run accept` writes.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenKinds } from './goldens/kinds.js';
import { repositoryRoot } from './goldens/files.js';

for (const kind of goldenKinds) {
  describe(`golden files: ${kind.name}`, () => {
    const cases = kind.cases();
    it('has cases', () => {
      expect(cases.length).toBeGreaterThan(0);
    });
    for (const golden of cases) {
      const name = relative(repositoryRoot, golden.goldenPath);
      it(name, async () => {
        if (!existsSync(golden.goldenPath)) {
          expect.fail(`${name} is missing; run \`npm run accept ${kind.name}\` and review it`);
        }
        const actual = await golden.produce();
        expect(actual, `${name} differs; if the change is intended, run \`npm run accept ${kind.name}\``).toBe(
          readFileSync(golden.goldenPath, 'utf8'),
        );
      });
    }
  });
}
