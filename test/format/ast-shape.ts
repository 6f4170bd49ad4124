// The meaning of a tree without where it came from: ranges, raw spellings and recovery marks are
// dropped, so "formatting keeps the AST" can be checked with a deep equality.
import type { SourceFile } from '../../grammar/ast.js';

const positional = new Set(['range', 'keyword', 'raw', 'recovered', 'comments']);

export function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (!positional.has(key) && child !== undefined) result[key] = withoutPositions(child);
  }
  return result;
}

/** The comments' texts, sorted (a displaced comment may change places), line comments without trailing spaces. */
export function commentTexts(file: SourceFile): string[] {
  return file.comments.map((c) => (c.block ? c.text : c.text.trimEnd())).sort();
}
