// Semantic tokens for what the TextMate grammar cannot know: which names are blocks, constants,
// block parameters, import namespaces and the model's tensors, from the resolver's occurrences.
import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import { occurrences, type FileView, type SymbolKind } from './navigation.js';

export const legend: SemanticTokensLegend = {
  tokenTypes: ['namespace', 'function', 'variable', 'parameter'],
  tokenModifiers: ['declaration', 'readonly'],
};

const typeOf: Record<SymbolKind, number> = {
  import: 0,
  block: 1,
  constant: 2,
  'layer name': 2,
  input: 2,
  latent: 2,
  output: 2,
  head: 2,
  parameter: 3,
};

export function semanticTokens(view: FileView): SemanticTokens {
  const builder = new SemanticTokensBuilder();
  const sorted = [...occurrences(view)].sort((a, b) => a.range.start.offset - b.range.start.offset);
  let last = -1;
  for (const o of sorted) {
    const { start, end } = o.range;
    if (start.offset <= last || start.line !== end.line || end.offset === start.offset) continue;
    last = start.offset;
    const modifiers = (o.declaration ? 1 : 0) | (o.symbol.kind === 'constant' ? 2 : 0);
    builder.push(start.line - 1, start.column - 1, end.column - start.column, typeOf[o.symbol.kind], modifiers);
  }
  return builder.build();
}
