// SourceRange (AST) → IRSourceLocation (IR), so runtime errors can point back at the `.ae` text.
import type { SourceRange } from '../../grammar/ast.js';
import type { IRSourceLocation } from '../../ir/types.js';

export function irLocation(range: SourceRange, file?: string): IRSourceLocation {
  return {
    ...(file !== undefined ? { file } : {}),
    line: range.start.line,
    column: range.start.column,
    endLine: range.end.line,
    endColumn: range.end.column,
  };
}
