// specs/valid/*.ae and specs/ir/*.ae → <case>.ir.json: the compiled IR (an array when a file holds
// several models), with source paths relative to the repository root.
import { relative } from 'node:path';
import { analyzeFile } from '../../compiler/analyze.js';
import { serializeIR } from '../../compiler/emit-ir.js';
import type { GoldenKind } from './kinds.js';
import { repositoryRoot, specFiles } from './files.js';

export const irSpecFolders = ['valid', 'ir'] as const;

export function irSpecFiles(): string[] {
  return irSpecFolders.flatMap((folder) => specFiles(folder));
}

export function compileSpec(source: string): string {
  const analysis = analyzeFile(relative(repositoryRoot, source), { cwd: repositoryRoot });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${source} has errors: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return serializeIR(analysis.irs.length === 1 ? analysis.irs[0]! : analysis.irs);
}

export const irGoldens: GoldenKind = {
  name: 'ir',
  cases: () => irSpecFiles().map((source) => ({ goldenPath: source.replace(/\.ae$/, '.ir.json'), produce: () => compileSpec(source) })),
};
