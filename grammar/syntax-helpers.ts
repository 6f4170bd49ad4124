// Small pieces the AST builder and the error post-processing share: token offsets that survive
// error recovery (inserted tokens have no offset), string unescaping, and edit construction.
import type { CstNode, IToken } from 'chevrotain';
import type { SourceRange } from './ast.js';
import type { SuggestedFix } from '../diagnostics/diagnostic.js';

/** The first element of a CST child list, which recovery may have left empty or absent. */
export function first<T>(items: readonly T[] | undefined): T | undefined {
  return items === undefined ? undefined : items[0];
}

/** A token that is really in the text (recovery inserts virtual tokens with NaN offsets). */
export function isRealToken(token: IToken | undefined): token is IToken {
  return token !== undefined && !token.isInsertedInRecovery && Number.isFinite(token.startOffset);
}

/** [start, end) of a token, end exclusive. */
export function tokenSpan(token: IToken): { start: number; end: number } {
  return { start: token.startOffset, end: token.startOffset + token.image.length };
}

/** [start, end) of a CST node, or undefined when recovery left it without real tokens. */
export function cstSpan(node: CstNode | undefined): { start: number; end: number } | undefined {
  const location = node?.location;
  if (!location || !Number.isFinite(location.startOffset) || !Number.isFinite(location.endOffset)) return undefined;
  return { start: location.startOffset, end: (location.endOffset as number) + 1 };
}

const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '0': '\0' };

/** The value of a string literal, and the offsets (inside `raw`) of escapes it does not know. */
export function unescapeString(raw: string): { value: string; badEscapes: number[] } {
  const closed = raw.length >= 2 && raw.endsWith('"') && !raw.endsWith('\\"');
  const body = raw.slice(1, closed ? -1 : undefined);
  let value = '';
  const badEscapes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      value += c;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) break;
    const known = escapes[next];
    if (known === undefined) badEscapes.push(i + 1);
    value += known ?? next;
    i++;
  }
  return { value, badEscapes };
}

export function replaceFix(message: string, range: SourceRange, newText: string): SuggestedFix {
  return { message, edits: [{ range, newText }] };
}
