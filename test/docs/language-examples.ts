// The ```ae examples of docs/language.md. The fence's info string says what an example is:
//   ```ae                  a complete file: compiles with no error and no warning
//   ```ae error AE4004     a complete file that must report that code
//   ```ae fragment         a piece of a file (members, layers or a file part): must parse
//   ```ae file=lib.ae      a complete file that other examples may import by that name
import { readFileSync } from 'node:fs';

export const languageText = readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8');

export interface LanguageExample {
  kind: 'complete' | 'error' | 'fragment';
  /** The diagnostic code an `error` example must report. */
  code?: string;
  /** The name other examples import it by (`file=lib.ae`). */
  file?: string;
  source: string;
  /** 1-based line of the opening fence, for test names. */
  line: number;
}

export function languageExamples(text = languageText): LanguageExample[] {
  const examples: LanguageExample[] = [];
  const fence = /^```ae([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm;
  for (const match of text.matchAll(fence)) {
    const info = match[1]!.trim().split(/\s+/).filter(Boolean);
    const line = text.slice(0, match.index).split('\n').length;
    const source = match[2]!;
    const file = info.find((w) => w.startsWith('file='))?.slice('file='.length);
    if (info[0] === 'error') examples.push({ kind: 'error', code: info[1], source, line });
    else if (info[0] === 'fragment') examples.push({ kind: 'fragment', source, line });
    else examples.push({ kind: 'complete', source, line, ...(file ? { file } : {}) });
    const known = info.length === 0 || info[0] === 'fragment' || (info[0] === 'error' && /^AE\d{4}$/.test(info[1] ?? '')) || (info.length === 1 && file);
    if (!known) throw new Error(`docs/language.md line ${line}: unknown fence info \`${match[1]!.trim()}\``);
  }
  return examples;
}

/** The wrappers a fragment is tried in: as a file, as model members, as encoder layers. */
export function fragmentWrappers(source: string): string[] {
  return [source, `model m {\n${source}\n}\n`, `model m {\n  encoder {\n${source}\n  }\n}\n`];
}
