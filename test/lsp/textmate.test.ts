// The VS Code grammar, run by the engine VS Code runs it with (vscode-textmate on vscode-oniguruma),
// agrees with the compiler's own lexer on every example: keywords, numbers, strings and comments get
// their scopes, and so do layer, activation and loss names; and every word of the compiler's tables
// is coloured, so a new layer or loss cannot be added without the grammar learning it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import textmate from 'vscode-textmate';
import oniguruma from 'vscode-oniguruma';
import { activationNames } from '../../compiler/shapes/activations.js';
import { corruptionNames } from '../../compiler/shapes/corruptions.js';
import { layerNames } from '../../compiler/shapes/layers.js';
import { latentKinds } from '../../compiler/shapes/latents.js';
import { lossNames } from '../../compiler/objective/builtins.js';
import { optimizerNames } from '../../compiler/objective/phases/optimizers.js';
import { dataSourceNames } from '../../compiler/objective/phases/sources.js';
import { scan } from '../../grammar/scanner.js';
import { COMMENT_GROUP, keywordNames } from '../../grammar/tokens.js';
import { repositoryRoot } from './client.js';

const grammarPath = join(repositoryRoot, 'editor/vscode/syntaxes/ae.tmLanguage.json');
let grammar: textmate.IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scope: string) => (scope === 'source.ae' ? textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null),
  });
  grammar = (await registry.loadGrammar('source.ae'))!;
});

/** The scopes at each offset of `text`, as VS Code would colour it. */
function scopesByOffset(text: string): string[][] {
  const out: string[][] = [];
  let state = textmate.INITIAL;
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) for (let i = token.startIndex; i < token.endIndex; i++) out[lineStart + i] = token.scopes;
    state = result.ruleStack;
    lineStart += line.length + 1;
  }
  return out;
}

function aeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? aeFiles(path) : name.endsWith('.ae') ? [path] : [];
  });
}

const layerOnly = layerNames.filter((n) => !(activationNames as readonly string[]).includes(n));

/** The scope a token of the compiler's lexer must have, or undefined when the grammar may choose. */
function expectedScope(kind: string, image: string, next: string | undefined): string | undefined {
  if (kind === 'comment') return 'comment.';
  if (kind === 'NumberLiteral') return 'constant.numeric.ae';
  if (kind === 'StringLiteral') return 'string.quoted.double.ae';
  if (keywordNames.has(image) && kind !== 'Identifier') return image === 'true' || image === 'false' ? 'constant.language.boolean.ae' : 'keyword.';
  if (kind !== 'Identifier' || next === '=') return undefined;
  if (layerOnly.includes(image)) return 'support.function.layer.ae';
  if ((activationNames as readonly string[]).includes(image)) return 'support.constant.activation.ae';
  if ((lossNames as readonly string[]).includes(image)) return 'support.function.loss.ae';
  return undefined;
}

describe('the TextMate grammar on every example', () => {
  const examples = aeFiles(join(repositoryRoot, 'examples')).sort();
  const checked = new Map<string, number>();

  for (const file of examples) {
    it(file.slice(repositoryRoot.length + 1), () => {
      const text = readFileSync(file, 'utf8');
      const scopes = scopesByOffset(text);
      const lexed = scan(text);
      const tokens = [
        ...lexed.tokens.map((t, i) => ({ kind: t.tokenType.name, image: t.image, offset: t.startOffset, next: lexed.tokens[i + 1]?.image })),
        ...(lexed.groups[COMMENT_GROUP] ?? []).map((t) => ({ kind: 'comment', image: t.image, offset: t.startOffset, next: undefined })),
      ];
      const wrong: string[] = [];
      for (const token of tokens) {
        const want = expectedScope(token.kind, token.image, token.next);
        if (want === undefined) continue;
        const got = scopes[token.offset] ?? [];
        if (!got.some((s) => s.startsWith(want))) wrong.push(`${token.image} at ${token.offset}: wanted ${want}, got ${got.join(' ')}`);
        checked.set(want, (checked.get(want) ?? 0) + 1);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('checked each kind of token on the examples', () => {
    for (const kind of ['comment.', 'constant.numeric.ae', 'string.quoted.double.ae', 'keyword.', 'support.function.layer.ae', 'support.constant.activation.ae', 'support.function.loss.ae']) {
      expect(checked.get(kind) ?? 0, kind).toBeGreaterThan(0);
    }
  });
});

describe("the grammar knows every word of the compiler's tables", () => {
  const scopeOf = (line: string, word: string) => scopesByOffset(line)[line.indexOf(word)]?.at(-1);

  it.each([
    ['layer', layerOnly, 'support.function.layer.ae'],
    ['activation', activationNames, 'support.constant.activation.ae'],
    ['loss', lossNames, 'support.function.loss.ae'],
    ['optimizer', optimizerNames, 'support.function.train.ae'],
    ['data source', dataSourceNames, 'support.function.train.ae'],
  ] as const)('every %s', (_kind, words, scope) => {
    for (const word of words) expect(scopeOf(`  x = ${word}(1)`, word), word).toBe(scope);
  });

  it('every latent kind and corruption, and every keyword', () => {
    for (const word of [...latentKinds, ...corruptionNames]) expect(scopeOf(`  latent z = ${word}(1)`, word), word).toMatch(/^support\.function\./);
    for (const word of keywordNames) expect(scopeOf(`${word} `, word), word).toMatch(/^(keyword\.|constant\.language\.)/);
  });
});
