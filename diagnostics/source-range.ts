// Where a diagnostic points: the one source-position type shared by the grammar (every AST node
// carries a range), the checker and the renderers. It lives in this leaf so that diagnostics need
// nothing from the AST.

/** A point in the source: 0-based offset, 1-based line and column (columns count UTF-16 units). */
export interface Position {
  offset: number;
  line: number;
  column: number;
}

/** A half-open range [start, end) of the source. */
export interface SourceRange {
  start: Position;
  end: Position;
}
