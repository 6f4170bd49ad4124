// specs/fuzz/<name>.ae → <name>.errors.txt: inputs the fuzzer (or issue 13) found breaking a
// property, minimised, with the diagnostics each must get now that it is fixed. `npm run accept
// fuzz` writes them; test/goldens.test.ts compares, and test/fuzz/fuzz.test.ts checks every
// property on each.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { analyzeSource } from '../../compiler/analyze.js';
import { renderErrorBaseline } from '../../diagnostics/render.js';
import type { GoldenKind } from '../goldens/kinds.js';
import { repositoryRoot, specFiles } from '../goldens/files.js';

export const fuzzGoldens: GoldenKind = {
  name: 'fuzz',
  cases: () =>
    specFiles('fuzz').map((source) => ({
      goldenPath: source.replace(/\.ae$/, '.errors.txt'),
      produce: () => {
        const text = readFileSync(source, 'utf8');
        const file = relative(repositoryRoot, source).split('\\').join('/');
        const analysis = analyzeSource(text, file, { cwd: repositoryRoot });
        return renderErrorBaseline(text, analysis.diagnostics, { file, sources: analysis.sources });
      },
    })),
};
