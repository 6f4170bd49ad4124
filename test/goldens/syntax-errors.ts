// specs/syntax-errors/<case>.ae → <case>.errors.txt: the source with `~~~` under every syntax diagnostic.
import { readFileSync } from 'node:fs';
import { parseSource } from '../../grammar/index.js';
import { renderErrorBaseline } from '../../diagnostics/render.js';
import type { GoldenKind } from './kinds.js';
import { specFiles } from './files.js';

export const syntaxErrorGoldens: GoldenKind = {
  name: 'syntax-errors',
  cases: () =>
    specFiles('syntax-errors').map((source) => ({
      goldenPath: source.replace(/\.ae$/, '.errors.txt'),
      produce: () => {
        const text = readFileSync(source, 'utf8');
        return renderErrorBaseline(text, parseSource(text).diagnostics);
      },
    })),
};
