// The plugin object Prettier loads, and formatting at the edges: empty files, comment-only files,
// CRLF line ends, and syntax errors reported with a position Prettier can show.
import { describe, expect, it } from 'vitest';
import plugin, { languages, parsers, printers } from '../../compiler/format/plugin.js';
import { formatAe } from '../../compiler/format/format.js';

describe('aelang prettier plugin', () => {
  it('declares the .ae language, its parser and printer', () => {
    expect(languages[0]).toMatchObject({ name: 'aelang', parsers: ['aelang'], extensions: ['.ae'] });
    expect(parsers.aelang.astFormat).toBe('aelang-ast');
    expect(Object.keys(printers)).toEqual(['aelang-ast']);
    expect(plugin.defaultOptions).toMatchObject({ printWidth: 100, tabWidth: 2 });
  });

  it('formats an empty file to nothing and keeps a comment-only file', async () => {
    expect(await formatAe('\n\n')).toBe('');
    expect(await formatAe('/* a */\n\n\n// b')).toBe('/* a */\n\n// b\n');
  });

  it('prints LF line ends whatever the input had', async () => {
    expect(await formatAe('let a = 1\r\nlet b = 2\r\n')).toBe('let a = 1\nlet b = 2\n');
  });

  it('honours a narrower print width', async () => {
    expect(await formatAe('let sizes = [1, 2, 3]\n', { printWidth: 16 })).toBe('let sizes = [\n  1, 2, 3\n]\n');
  });

  it('rejects a syntax error with the first diagnostic and its position', async () => {
    const error = await formatAe('let a = 1\nlet = 3\n').then(
      () => undefined,
      (e: unknown) => e as Error & { loc?: { start: { line: number; column: number } } },
    );
    expect(error?.message).toMatch(/^AE1\d{3}: /);
    expect(error?.loc?.start).toEqual({ line: 2, column: 5 });
  });
});
