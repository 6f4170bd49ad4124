// The formatter's fast paths for large files (issue 22: `ae fmt` on 1 MB in under 1 s): a let that
// fits is printed as one string, a body of plain items without an `indent`, names, literals and
// children with nothing attached without Prettier's print, and `ae fmt` hands its parse to the plugin. Each must print exactly what
// the general path prints; these are the edges where they could differ.
import { format, formatWithCursor, util } from 'prettier';
import { describe, expect, it } from 'vitest';
import { formatAe } from '../../compiler/format/format.js';
import { isNextLineEmpty } from '../../compiler/format/layout.js';
import plugin from '../../compiler/format/plugin.js';
import { generalPrinter } from '../../compiler/format/printer.js';
import { parseSource } from '../../grammar/index.js';
import { allSources } from './cases.js';
import { mutate } from './mutate.js';

describe('the formatter fast paths', () => {
  it('keeps a let of exactly the print width on one line and breaks one a column longer', async () => {
    const fits = `let a = ${'1 + '.repeat(22)}1234\n`;
    expect(fits.length - 1).toBe(100);
    expect(await formatAe(fits)).toBe(fits);
    const over = `let a = ${'1 + '.repeat(22)}12345\n`;
    expect(await formatAe(over)).toBe(`let a = ${'1 +\n  '.repeat(22)}12345\n`);
  });

  it('measures wide characters as Prettier does (two columns each)', async () => {
    const text = `let a = f("${'漢'.repeat(44)}", 1)\n`;
    expect(await formatAe(text)).toBe(`let a = f(\n  "${'漢'.repeat(44)}",\n  1\n)\n`);
  });

  it('leaves a let with a comment of its own to the general path', async () => {
    expect(await formatAe('/* c */ let a = 1 + 2\nlet b = 3 // d\n')).toBe('/* c */ let a = 1 + 2\nlet b = 3 // d\n');
  });

  it('indents a body of plain items with tabs when asked, as the general path does', async () => {
    const text = 'block b() { c() d() }\nblock c() { dense(4, act = relu) }\n';
    const options = { parser: 'aelang', plugins: [plugin], useTabs: true };
    expect(await format(text, options)).toBe('block b() {\n\tc()\n\td()\n}\n\nblock c() {\n\tdense(4, act = relu)\n}\n');
  });

  it('keeps blank lines between plain items and nested bodies indented', async () => {
    const text = 'block b() {\n  c()\n\n\n  d()\n  repeat 2 { e() f() }\n}\n';
    expect(await formatAe(text)).toBe('block b() {\n  c()\n\n  d()\n  repeat 2 {\n    e()\n    f()\n  }\n}\n');
  });

  it('writes a body of plain items at the depth of its owner, with blank lines empty, as the general path does', async () => {
    const text = 'model m {\n input x: [8] in [0, 1]\n encoder { repeat 2 { repeat 3 { dense(4)\n   \n\n  gru(4) } d() } }\n}\nblock b() { c()   \n\n d() }\n';
    const expected =
      'model m {\n  input x: [8] in [0, 1]\n  encoder {\n    repeat 2 {\n      repeat 3 {\n        dense(4)\n\n        gru(4)\n      }\n      d()\n    }\n  }\n}\n\nblock b() {\n  c()\n\n  d()\n}\n';
    expect(await formatAe(text)).toBe(expected);
    const general = { ...plugin, printers: { [Object.keys(plugin.printers!)[0]!]: generalPrinter } };
    for (const options of [{ useTabs: true }, { endOfLine: 'crlf' as const }, { tabWidth: 4 }]) {
      const withOptions = { parser: 'aelang', ...options };
      expect(await format(text, { ...withOptions, plugins: [plugin] })).toBe(await format(text, { ...withOptions, plugins: [general] }));
    }
    expect(await format(text, { parser: 'aelang', plugins: [plugin], useTabs: true })).toBe(expected.replace(/^( {2})+/gm, (spaces) => '\t'.repeat(spaces.length / 2)));
  });

  it('formats a tree handed over by the caller as it formats the text, and parses again for a second format', async () => {
    const text = 'let  a=1\nblock b ( ) { c ( ) } // x\n';
    const expected = await formatAe(text);
    expect(await formatAe(text, { parsed: parseSource(text).ast })).toBe(expected);
    expect(await formatAe(text)).toBe(expected);
  });
  describe('a member that fits flat, printed as its text, and a top-level declaration printed as its lines', () => {
    const model = (body: string) => `model m {\n${body}\n}\n`;

    it('keeps a member on one line up to the print width and breaks it a column past, as the general path does', async () => {
      for (let width = 94; width <= 101; width++) {
        const decoder = `  decoder = mirror(encoder, tied = true, ${'n'.repeat(width - 46)} = 1)`;
        expect(decoder.length).toBe(width);
        const broken = `  decoder = mirror(\n    encoder,\n    tied = true,\n    ${'n'.repeat(width - 46)} = 1\n  )`;
        expect(await formatAe(model(decoder))).toBe(model(width <= 100 ? decoder : broken));
        const input = `  input ${'i'.repeat(width - 26)}: [8, 4] in [0, 1]`;
        expect(input.length).toBe(width);
        const inputBroken = `  input ${'i'.repeat(width - 26)}: [8, 4] in [\n    0,\n    1\n  ]`;
        expect(await formatAe(model(input))).toBe(model(width <= 100 ? input : inputBroken));
      }
    });

    it('keeps the comments around a member where the general path puts them', async () => {
      const text = model('  latent   z = identity // why\n  /* a */ output o = sigmoid\n  loss = bce(o, x) /* b */');
      expect(await formatAe(text)).toBe(model('  latent z = identity // why\n  /* a */ output o = sigmoid\n  loss = bce(o, x) /* b */'));
    });

    it('writes the lines of a declaration with the line ends and indentation asked for', async () => {
      const text = 'model m {\n  input x: [8] in [0, 1]\n  encoder { dense(4)\n\n\n dense(2) }\n}\nblock b() { c() }\n';
      const expected = 'model m {\n  input x: [8] in [0, 1]\n  encoder {\n    dense(4)\n\n    dense(2)\n  }\n}\n\nblock b() {\n  c()\n}\n';
      expect(await formatAe(text)).toBe(expected);
      expect(await format(text, { parser: 'aelang', plugins: [plugin], endOfLine: 'crlf' })).toBe(expected.replace(/\n/g, '\r\n'));
      expect(await format(text, { parser: 'aelang', plugins: [plugin], useTabs: true })).toBe(expected.replace(/^( {2})+/gm, (spaces) => '\t'.repeat(spaces.length / 2)));
    });
  });

  it('joins top-level declarations printed as text with the blank lines and comments the general path keeps', async () => {
    const text = 'let a = 1   \n\n\n\nlet b = [1,2]\n// c\nblock b() { c() }   \nlet d = 4 // e\nmodel m { input x: [8] in [0, 1] }\n\n\n';
    const expected = 'let a = 1\n\nlet b = [1, 2]\n\n// c\nblock b() {\n  c()\n}\n\nlet d = 4 // e\n\nmodel m {\n  input x: [8] in [0, 1]\n}\n';
    expect(await formatAe(text)).toBe(expected);
    expect(await format(text, { parser: 'aelang', plugins: [plugin], endOfLine: 'crlf' })).toBe(expected.replace(/\n/g, '\r\n'));
  });

  it("finds blank lines as Prettier's util.isNextLineEmpty does, at every index of text made of the characters it skips", () => {
    const alphabet = [' ', '\t', ',', ';', '\n', '\r', '\r\n', '\u2028', 'a', '/', '*', '//', '/*', '*/'];
    let seed = 1;
    const next = () => (seed = (seed * 16807) % 2147483647);
    for (let round = 0; round < 2000; round++) {
      let text = '';
      for (let length = next() % 12; length > 0; length--) text += alphabet[next() % alphabet.length];
      for (let index = 0; index <= text.length; index++) expect(isNextLineEmpty(text, index), JSON.stringify([text, index])).toBe(util.isNextLineEmpty(text, index));
    }
  });

  it('ends the file with one line end, after a last declaration printed as text or one with a trailing comment', async () => {
    const crlf = { parser: 'aelang', plugins: [plugin], endOfLine: 'crlf' as const };
    for (const [text, expected] of [
      ['let a = 1\nlet b = 2   \n\n\n', 'let a = 1\nlet b = 2\n'],
      ['let a = 1\nlet b = 2 // c   \n', 'let a = 1\nlet b = 2 // c\n'],
      ['block b() { c() }', 'block b() {\n  c()\n}\n'],
      ['// only a comment\n\n', '// only a comment\n'],
    ]) {
      expect(await formatAe(text!)).toBe(expected);
      expect(await format(text!, crlf)).toBe(expected!.replace(/\n/g, '\r\n'));
    }
  });

  describe('a layer printed as its text (a call of names and literals on a line of its own)', () => {
    const model = (layers: string) =>
      `model m {\n  input x: [8] in [0, 1]\n  encoder {\n${layers}  }\n  latent z = dense(2)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = bce(x_hat, x)\n}\n`;
    const long = (n: number) => `dense(8, act = ${'r'.repeat(n)})`;

    it('stays on one line up to the print width and breaks a column past it, as the general path does', async () => {
      const fits = `    ${long(80)}\n`;
      expect(fits.length - 1).toBe(100);
      expect(await formatAe(model(fits))).toBe(model(fits));
      expect(await formatAe(model(`    ${long(81)}\n`))).toBe(model(`    dense(\n      8,\n      act = ${'r'.repeat(81)}\n    )\n`));
    });

    it('is the same text deep in repeats, with tabs, and beside layers that carry comments', async () => {
      const text = model('    dense(8 /* eight */, act = relu) // why\n    repeat 2 { repeat 3 { dense(4,act=relu) gru( 4 ) lib.down(2) } }\n');
      const expected = model(
        '    dense(8 /* eight */, act = relu) // why\n    repeat 2 {\n      repeat 3 {\n        dense(4, act = relu)\n        gru(4)\n        lib.down(2)\n      }\n    }\n',
      );
      expect(await formatAe(text)).toBe(expected);
      const options = { parser: 'aelang', plugins: [plugin], useTabs: true };
      expect(await format(text, options)).toBe(expected.replace(/^( {2})+/gm, (spaces) => '\t'.repeat(spaces.length / 2)));
      const deep = `block b() {\n${'  '.repeat(1)}repeat 2 {\n    repeat 2 {\n      ${long(75)}\n    }\n  }\n}\n`;
      expect(deep.split('\n')[3]!.length).toBe(97);
      expect(await formatAe(deep)).toBe(deep);
    });
  });
});

// The printer's shortcuts for a child (a name or literal as its text, a plain layer as its line, any
// other child with nothing attached printed by its printer without Prettier's print) against the
// same printer with every child through Prettier's print, over every spec, example and golden input,
// with comments and spaces strewn through them, and with the cursor at offsets across each.
describe("the printer's shortcuts print what Prettier's print of every child prints", () => {
  const general = { ...plugin, printers: { [Object.keys(plugin.printers!)[0]!]: generalPrinter } };
  const sources = allSources();

  it('on every source as written and with comments and spaces added (3 seeds each)', async () => {
    let compared = 0;
    for (const [name, text] of sources) {
      for (const variant of [text, ...[1, 2, 3].map((seed) => mutate(text, seed * 7919 + text.length, 6, ['comment', 'space']))]) {
        if (parseSource(variant).diagnostics.some((d) => d.severity === 'error')) continue;
        const expected = await format(variant, { parser: 'aelang', plugins: [general] });
        expect(await format(variant, { parser: 'aelang', plugins: [plugin] }), name).toBe(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(sources.length * 3);
  });

  it('with the cursor at offsets across each source', async () => {
    for (const [name, text] of sources) {
      if (parseSource(text).diagnostics.some((d) => d.severity === 'error')) continue;
      for (let offset = 0; offset < text.length; offset += Math.max(1, Math.floor(text.length / 12))) {
        const options = { parser: 'aelang', cursorOffset: offset };
        const expected = await formatWithCursor(text, { ...options, plugins: [general] });
        expect(await formatWithCursor(text, { ...options, plugins: [plugin] }), `${name} @${offset}`).toEqual(expected);
      }
    }
  });
});
