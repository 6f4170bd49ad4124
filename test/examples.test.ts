// Every model under examples/ compiles with no error and no warning, and its IR passes the schema:
// the examples are what new users copy, so they must stay clean as the checker grows.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../compiler/analyze.js';
import { validateIR } from '../ir/schema-validation.js';

const root = path.resolve(import.meta.dirname, '..');
const exampleFiles = readdirSync(path.join(root, 'examples'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ae'))
  .map((file) => path.join('examples', file))
  .sort();

describe('examples', () => {
  it('has one model file per family folder', () => {
    expect(exampleFiles.length).toBeGreaterThanOrEqual(10);
  });

  it.each(exampleFiles)('%s compiles cleanly to valid IR', (file) => {
    const analysis = analyzeFile(file, { cwd: root });
    const problems = analysis.diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.column} ${d.message}`);
    expect(problems).toEqual([]);
    const modelCount = analysis.ast.declarations.filter((d) => d.kind === 'ModelDeclaration').length;
    expect(analysis.irs).toHaveLength(modelCount);
    for (const ir of analysis.irs) {
      const result = validateIR(JSON.parse(JSON.stringify(ir)));
      expect(result.ok ? 'valid' : result.error).toBe('valid');
    }
  });
});
