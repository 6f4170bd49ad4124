// Finding things in the compiler's AST: the chain of nodes under the cursor.
import type { AstNode, SourceFile, SourceRange } from '../grammar/ast.js';

type Node = AstNode & { range: SourceRange };

/** The node's children, found generically so a new node type needs no change here. */
function children(node: object): Node[] {
  const out: Node[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      if ('kind' in value) out.push(value as Node);
      else for (const [key, inner] of Object.entries(value)) if (key !== 'range') visit(inner);
    }
  };
  for (const [key, value] of Object.entries(node)) if (key !== 'range' && key !== 'keyword' && key !== 'comments') visit(value);
  return out;
}

/** The nodes containing `offset`, outermost first (an identifier's end counts as inside it). */
export function nodesAt(ast: SourceFile, offset: number): Node[] {
  const path: Node[] = [ast];
  let current: Node = ast;
  for (;;) {
    const next: Node | undefined = children(current).find((c) => c.range.start.offset <= offset && offset <= c.range.end.offset && !isEmpty(c));
    if (!next) return path;
    path.push(next);
    current = next;
  }
}

function isEmpty(node: Node): boolean {
  return node.range.start.offset === node.range.end.offset && node.recovered === true;
}

export function contains(range: SourceRange, offset: number): boolean {
  return range.start.offset <= offset && offset <= range.end.offset;
}
