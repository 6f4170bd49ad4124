// `.ae` highlighting for CodeMirror: a stream tokenizer over the grammar's own keyword list
// (grammar/tokens.ts), so a new keyword is highlighted without touching the page, and completion
// of keywords and the built-ins the language server offers (lsp/builtins.ts).
import { StreamLanguage, type StringStream } from '@codemirror/language';
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { keywordNames } from '../../grammar/tokens.js';
import { activations, corruptions, dataSources, latents, layers, losses, optimizers, type Builtin } from '../../lsp/builtins.js';

interface State {
  inBlockComment: boolean;
}

export const aeLanguage = StreamLanguage.define<State>({
  name: 'ae',
  startState: () => ({ inBlockComment: false }),
  token(stream: StringStream, state: State): string | null {
    if (state.inBlockComment) {
      if (stream.skipTo('*/')) {
        stream.pos += 2;
        state.inBlockComment = false;
      } else stream.skipToEnd();
      return 'comment';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('/*')) {
      state.inBlockComment = true;
      return 'comment';
    }
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string';
    if (stream.match(/^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/)) return 'number';
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*/) as RegExpMatchArray | null;
    if (word) {
      const name = word[0];
      if (keywordNames.has(name)) return 'keyword';
      if (builtinNames.has(name)) return 'variableName.standard';
      return 'variableName';
    }
    stream.next();
    return 'operator';
  },
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
});

const builtins: readonly Builtin[] = [...layers, ...activations, ...latents, ...corruptions, ...losses, ...optimizers, ...dataSources];
const builtinNames = new Set(builtins.map((b) => b.name));

const options: Completion[] = [
  ...[...keywordNames].map((name): Completion => ({ label: name, type: 'keyword' })),
  ...[...new Map(builtins.map((b) => [b.name, b])).values()].map((b): Completion => ({ label: b.name, type: 'function', detail: b.kind, info: b.doc })),
];

export function aeCompletions(context: CompletionContext): CompletionResult | null {
  const word = context.matchBefore(/[A-Za-z_][A-Za-z0-9_]*/);
  if (!word || (word.from === word.to && !context.explicit)) return null;
  return { from: word.from, options, validFor: /^[A-Za-z0-9_]*$/ };
}
