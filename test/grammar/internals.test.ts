// The two places the front end leans on Chevrotain internals (for speed and for structured errors):
// if an upgrade renames them, these fail instead of positions or messages quietly degrading.
import { describe, expect, it } from 'vitest';
import { parse, parseSource } from '../../grammar/index.js';
import { AeParser, type MismatchError } from '../../grammar/parser.js';
import { scan } from '../../grammar/scanner.js';

describe('offset-only tokens', () => {
  it('carry the inclusive end offset and nothing about lines', () => {
    const [first, second] = scan('let width = 64').tokens;
    expect(first).toMatchObject({ image: 'let', startOffset: 0, endOffset: 2 });
    expect(second).toMatchObject({ image: 'width', startOffset: 4, endOffset: 8 });
    expect(first!.startLine).toBeUndefined();
  });

  it('give CST nodes their full extent', () => {
    const { cst } = parse('let a = 1 + 23\n');
    expect(cst.location).toMatchObject({ startOffset: 0, endOffset: 13 });
  });
});

describe('mismatch errors', () => {
  it('record the token type that was expected', () => {
    const errors = parse('model m {\n  encoder { dense(3) }\n').parseErrors as MismatchError[];
    expect(errors.map((e) => e.expectedTokenType?.name)).toEqual(['RCurly']);
  });

  it('leave it out for errors that are not mismatches', () => {
    const errors = parse('model m { 42 }').parseErrors as MismatchError[];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.filter((e) => e.name !== 'MismatchedTokenException').every((e) => e.expectedTokenType === undefined)).toBe(true);
  });

  it('find the unclosed `(` from the expected type, whatever the message says', () => {
    const messages = (text: string) => parseSource(text).diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(messages('let a = f(1, 2\nmodel m { }\n')).toEqual(['AE1012 unclosed `(`: `model` started before its `)`']);
    expect(messages('let a = [1, 2\n')).toEqual(['AE1012 unclosed `[`: the file ended before its `]`']);
    // A closer is due but the next token is neither the end nor a new member: the plain message.
    expect(messages('model m {\n  encoder { dense(3 }\n}\n')).toEqual(['AE1010 expected `,` or `)` after an argument, found `}`']);
  });
});

describe('the grammar', () => {
  it('passes Chevrotain\'s validations (ambiguities, left recursion), which the parser in use skips at start-up', () => {
    const validated = new AeParser(true);
    expect((validated as unknown as { definitionErrors: unknown[] }).definitionErrors).toEqual([]);
    validated.input = scan('model m { encoder { dense(3), repeat 2 { relu } } }').tokens;
    validated.file();
    expect(validated.errors).toEqual([]);
  });
});
