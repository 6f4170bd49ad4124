// How a name the user wrote is quoted back in a message: `lib.beta`, `enc.block`.
import type { Expression } from '../../grammar/ast.js';

/** A name or a dotted member access as written; any other expression is shown as `…`. */
export function writtenName(expr: Expression): string {
  if (expr.kind === 'NameRef') return expr.name;
  if (expr.kind === 'MemberAccess') return `${writtenName(expr.object)}.${expr.member.name}`;
  return '…';
}
