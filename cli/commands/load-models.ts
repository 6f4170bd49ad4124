// Shared by `ae compile` and `ae summary`: read one .ae file, analyse it, print its diagnostics to
// stderr, and pick the requested model (or fail with exit 1 / misuse with exit 2).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { analyzeSource, type Analysis } from '../../compiler/analyze.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { renderHuman } from '../../diagnostics/render.js';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';

export async function loadAnalysis(file: string, io: CliIO, model?: string): Promise<Analysis | undefined> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read it';
    throw new UsageError(`cannot read '${file}': ${reason}`);
  }
  const analysis = analyzeSource(text, file, { cwd: io.cwd, ...(model !== undefined ? { model } : {}) });
  if (analysis.diagnostics.length > 0) io.stderr(renderHuman(analysis.diagnostics, analysis.sources, { color: io.isTTY }));
  if (model !== undefined && !analysis.ast.declarations.some((d) => d.kind === 'ModelDeclaration' && d.name.name === model)) {
    const names = modelNames(analysis);
    throw new UsageError(`'${file}' has no model '${model}'${names.length ? ` (models: ${names.join(', ')})` : ''}`);
  }
  return hasErrors(analysis.diagnostics) ? undefined : analysis;
}

export function modelNames(analysis: Analysis): string[] {
  return analysis.ast.declarations.flatMap((d) => (d.kind === 'ModelDeclaration' ? [d.name.name] : []));
}
