// Builds names (with the keyword-as-name check) and references to names.
import type * as ast from '../ast.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import type * as cst from '../cst.js';
import { first, isRealToken, replaceFix } from '../syntax-helpers.js';
import type { BuildContext } from './context.js';

export function name(b: BuildContext, ctx: cst.NameCstChildren, fallback?: number, allowLoss = false): ast.Identifier {
  const identifier = first(ctx.Identifier);
  if (identifier) return b.identifierFromToken(identifier, fallback ?? 0);
  const word = first(ctx.Keyword);
  const built = b.identifierFromToken(word, fallback ?? 0);
  if (isRealToken(word) && !(allowLoss && word.image === 'loss')) {
    const replacement = `${word.image}_`;
    b.diagnostics.push(
      diagnostic('AE1015', `\`${word.image}\` is a keyword and cannot be used as a name; rename it, e.g. \`${replacement}\``, built.range, {
        fix: replaceFix(`rename to \`${replacement}\``, built.range, replacement),
      }),
    );
  }
  return built;
}

export function nameOr(b: BuildContext, node: cst.NameCstNode | undefined, fallback: number, allowLoss = false): ast.Identifier {
  return node ? name(b, node.children, fallback, allowLoss) : b.identifierFromToken(undefined, fallback);
}

export function reference(b: BuildContext, ctx: cst.ReferenceCstChildren, fallback?: number): ast.NameRef {
  const token = first(ctx.Identifier) ?? first(ctx.ReferableKeyword);
  const identifier = b.identifierFromToken(token, fallback ?? 0);
  return { kind: 'NameRef', name: identifier.name, range: identifier.range, ...(identifier.recovered ? { recovered: true } : {}) };
}
