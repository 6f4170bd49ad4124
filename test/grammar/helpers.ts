// Shared helpers for the front-end tests.
import { readFileSync } from 'node:fs';
import { parseSource } from '../../grammar/index.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ModelDeclaration, SourceFile } from '../../grammar/ast.js';
import { specFiles } from '../goldens/files.js';

export function validSpecs(): Array<{ path: string; text: string }> {
  return specFiles('valid').map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

/** `code line:column message` for compact assertions. */
export function brief(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.column} ${d.message}`);
}

export function parseOk(text: string): SourceFile {
  const { ast, diagnostics } = parseSource(text);
  if (diagnostics.length > 0) throw new Error(`unexpected diagnostics:\n${brief(diagnostics).join('\n')}`);
  return ast;
}

export function onlyModel(ast: SourceFile): ModelDeclaration {
  const model = ast.declarations.find((d): d is ModelDeclaration => d.kind === 'ModelDeclaration');
  if (!model) throw new Error('no model');
  return model;
}
