// specs/checks/<code>-<case>.ae → <case>.errors.txt: the source with `~~~` under every diagnostic of
// the whole pipeline (syntax, names, shapes, objective, phases, lints), so a check's range and
// message are reviewed as a diff.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { analyzeSource } from '../../compiler/analyze.js';
import { renderErrorBaseline } from '../../diagnostics/render.js';
import type { GoldenKind } from './kinds.js';
import { repositoryRoot, specFiles } from './files.js';

/** Every `specs/<folder>/*.ae` beside its `.errors.txt`: the whole pipeline's diagnostics as a baseline. */
export function errorBaselineGoldens(name: string, folder: string): GoldenKind {
  return {
    name,
    cases: () =>
      specFiles(folder).map((source) => ({
        goldenPath: source.replace(/\.ae$/, '.errors.txt'),
        produce: () => {
          const text = readFileSync(source, 'utf8');
          const file = relative(repositoryRoot, source).split('\\').join('/');
          const analysis = analyzeSource(text, file, { cwd: repositoryRoot });
          return renderErrorBaseline(text, analysis.diagnostics, { file, sources: analysis.sources });
        },
      })),
  };
}

export const checkGoldens = errorBaselineGoldens('checks', 'checks');
