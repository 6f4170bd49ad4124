// Plain block declarations (`block b(n, k = 3) { dense(n) }`: see AeParser.plainBlockLength) and
// plain let declarations (`let c0 = c1 + 1`: AeParser.plainLetLength) are built from their tokens
// instead of through the grammar's rules (issue 22: a megabyte of blocks or of constants). The tree
// and the diagnostics must be exactly those of the grammar, whatever surrounds them, and whatever is
// not plain must still go through the grammar.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse, parseSource } from '../../grammar/index.js';
import { AstBuilder } from '../../grammar/build-ast/index.js';
import { aeParser } from '../../grammar/parser.js';
import { repoRoot } from '../format/cases.js';

const fastPaths = ['plainModelLength', 'plainBlockLength', 'plainLetLength', 'plainMemberLength', 'plainLayerLength'] as const;

/** What parseSource gives with every fast path off: each plain length says "not plain", so every
 *  declaration, member and layer goes through the grammar's rules. */
function throughGrammar(text: string): ReturnType<typeof parseSource> {
  const parser = aeParser as unknown as Record<(typeof fastPaths)[number], () => number>;
  const spies = fastPaths.map((name) => vi.spyOn(parser, name).mockReturnValue(0));
  try {
    return parseSource(text);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/** The tree and every diagnostic (code, range, message, fix) equal those of the grammar. */
function expectAsGrammar(text: string): void {
  const fast = parseSource(text);
  const slow = throughGrammar(text);
  expect(fast.ast, text).toEqual(slow.ast);
  expect(fast.diagnostics, text).toEqual(slow.diagnostics);
}

// Plain blocks, blocks next to plain (one token off), and broken ones.
const blockTexts = [
  'block b() { dense(4) }',
  'block b() {}',
  'block b() { b1() }',
  'block b(n) { dense(n) }',
  'block b(n, k = 3) { conv(n, k) }',
  'block b(n = 2, act = relu, on = true, off = false, r = 2.5e-3) { dense(n, act = act) }',
  'block b(n,) { dense(n) }',
  'block b(n, k = 1,) { dense(n) }',
  'block b(n = true,) {}',
  'block b(n, n) { dense(n) }',
  'block b(n k) { dense(n) }',
  'block b(n = 1 k) { dense(n) }',
  'block b(n,, k) { dense(n) }',
  'block b(,) { dense(4) }',
  'block b(, n) { dense(4) }',
  'block b(n = ) { dense(4) }',
  'block b(n =) { dense(4) }',
  'block b(n : 2) { dense(n) }',
  'block b(n = -1) { dense(n) }',
  'block b(n = 2 * 4) { dense(n) }',
  'block b(n = 2 +) { dense(n) }',
  'block b(n = f(2)) { dense(n) }',
  'block b(n = a.b) { dense(n) }',
  'block b(n = x[0]) { dense(n) }',
  'block b(n = "s") { dense(n) }',
  'block b(n = "a\\qb") { dense(n) }',
  'block b(n = encoder) { dense(n) }',
  'block b(n = [1, 2]) { dense(4) }',
  'block b(n = (1)) { dense(4) }',
  'block b(n = m = 1) { dense(4) }',
  'block b(input) { dense(4) }',
  'block b(n = 1, input = 2) { dense(4) }',
  'block b(n = input) { dense(4) }',
  'block input() { dense(4) }',
  'block () { dense(4) }',
  'block b { dense(4) }',
  'block b() dense(4)',
  'block b() { dense(4)',
  'block b( { dense(4) }',
  'block b(n { dense(4) }',
  'block b() { dense(4), relu, }',
  'block b() { dense(4) relu }',
  'block b() { dense(4),, relu }',
  'block b() { dense(4) as d }',
  'block b() { dense(8,) }',
  'block b() { dense(2 * n) }',
  'block b() { repeat 2 { dense(4) } }',
  'block b() { lib.down(2) }',
  'block b(n /* c */ = 2) { /* c */ dense(n) // c\n}',
  'block b(\n  n, // c\n  k = 2,\n) {\n  dense(n)\n}',
  'block b() { dense(4) } as x',
  'block b() { dense(4) } }',
  'block b() { dense(4) } ( )',
];

// Plain lets, lets next to plain (one token off), and broken ones.
const letTexts = [
  'let x = 1',
  'let x = y',
  'let x = true',
  'let x = false',
  'let x = 2.5e-3',
  'let x = 1 + 2',
  'let x = a - b',
  'let x = a * 2',
  'let x = a / b',
  'let x = true + false',
  'let x = 1 + 2 * 3',
  'let x = 1 * 2 + 3',
  'let x = 1 + 2 + 3',
  'let x = 1 * 2 / 3',
  'let x = -1',
  'let x = +1',
  'let x = 1 + -2',
  'let x = 1 - - 2',
  'let x = a.b',
  'let x = f(1)',
  'let x = f()',
  'let x = a[0]',
  'let x = a + b.c',
  'let x = a + f(1)',
  'let x = a + b[0]',
  'let x = a.b + 1',
  'let x = "s"',
  'let x = "a\\qb"',
  'let x = 1 + "s"',
  'let x = [1, 2]',
  'let x = (1)',
  'let x = 1 + (2)',
  'let x = encoder',
  'let x = 1 + encoder',
  'let x = input',
  'let x = 1 + input',
  'let input = 1',
  'let model = 1 + 2',
  'let x : 1',
  'let x : 1 + 2',
  'let x = ',
  'let x',
  'let = 1',
  'let x = 1 +',
  'let x = 1 + +',
  'let x = 1 2',
  'let x = a b',
  'let x = a = 3',
  'let x = 1 +\n  2',
  'let x = 1 /* c */ + 2 // c',
  'let /* c */ x = 1',
  'let x = 1,',
  'let x = 1 )',
  'let x = 1 }',
  'let x = 1 + 2 )',
  'let x = 1 + 2 .',
  'let x = 1 + 2 (3)',
  'let x = 1 + 2 [3]',
  'let x = 1 + 2 - 3',
  'let x = 1 as y',
];

const texts = [...blockTexts, ...letTexts];

describe('plain blocks and lets', () => {
  afterEach(() => vi.restoreAllMocks());

  it('give the tree and the diagnostics the grammar gives, next to every other kind of declaration', () => {
    // Every text before and after every other (and itself), so each is followed by each.
    for (const a of texts) {
      for (const b of texts) {
        const joint = ['\n', ' ', '\n// c\n'][(a.length + b.length) % 3]!;
        expectAsGrammar(`${a}${joint}${b}\n`);
      }
    }
  });

  it('give the tree and the diagnostics the grammar gives between models, imports and broken declarations', () => {
    const others = [
      'model m { input x: [8] in [0, 1] encoder { b(2) } latent z = identity decoder = mirror(encoder) output x_hat = sigmoid loss = bce(x_hat, x) }',
      'model m { train { epochs = 2 } }',
      'import "lib.ae" as lib',
      'import "lib.ae"',
      '}',
      ')',
      '@',
      '',
    ];
    for (const a of texts) {
      for (const other of others) expectAsGrammar(`${other}\n${a}\n${other}\n${a}`);
    }
  });

  it('give the tree and the diagnostics the grammar gives around broken text (seeded)', () => {
    const pieces = [
      'block', 'let', 'model', 'b', 'x', 'n', '(', ')', '{', '}', '=', ':', ',', '1', '2.5', 'true', 'false', '+', '-', '*', '/', '.', '[', ']',
      '"s"', 'dense(4)', 'relu', 'input', 'encoder', 'repeat', 'as', '\n', '//c\n', '/*c*/', '@',
    ];
    let seed = 2208;
    const next = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let i = 0; i < 1_000; i++) {
      const body = Array.from({ length: 1 + next(10) }, () => pieces[next(pieces.length)]).join(next(2) ? ' ' : '');
      const text =
        `let a = 1 ${body}\nblock b(n, k = 2) { dense(n) ${body} }\nlet c = a + b ${body}\nblock d() { b(1) }\n` +
        `${body} let e = true\nblock f(${body}) { dense(4) }\nlet g = ${body}\n`;
      expectAsGrammar(text);
    }
  });

  it('give the tree and the diagnostics the grammar gives on every .ae file of the repository, whole and cut short (seeded)', () => {
    const aeFiles = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ae')).sort().map((name) => join(dir, name));
    const sources = [...aeFiles(join(repoRoot, 'specs')), ...aeFiles(join(repoRoot, 'examples'))].map((path) => readFileSync(path, 'utf8'));
    expect(sources.length).toBeGreaterThan(100);
    let seed = 2209;
    const next = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (const source of sources) {
      expectAsGrammar(source);
      for (let cut = 0; cut < 3; cut++) expectAsGrammar(source.slice(0, next(source.length + 1)));
    }
  });

  it('give the tree and the diagnostics the grammar gives past the nesting limit and the error budget', () => {
    const plain = 'block b(n, k = 2) { dense(n) }\nlet c = a + 1\n';
    // Past the nesting limit (AE1024): plain declarations before, inside the cut and after it.
    expectAsGrammar(`${plain}let a = ${'('.repeat(80)}1${')'.repeat(80)}\n${plain}`);
    expectAsGrammar(`let b = ${'['.repeat(70)}${plain}${']'.repeat(70)}\n${plain}`);
    // Past the error budget the parse stops; the plain declarations read before it are kept.
    const broken = 'let x = = )\n'.repeat(1_200);
    const { ast } = parseSource(`${plain}${broken}${plain}`);
    expect(ast.declarations.slice(0, 2).map((d) => d.kind)).toEqual(['BlockDeclaration', 'LetDeclaration']);
    expectAsGrammar(`${plain}${broken}${plain}`);
  });

  it('are built from their tokens, and a declaration that is not plain is not', () => {
    const block = vi.spyOn(AstBuilder.prototype, 'buildPlainBlock');
    const letBuilt = vi.spyOn(AstBuilder.prototype, 'buildPlainLet');
    const throughGrammarBuilt = vi.spyOn(AstBuilder.prototype, 'buildDeclaration');
    parseSource('block b() { dense(4) }\nblock c(n, k = 3, act = relu,) { b() conv(n, k), }\nlet x = 1\nlet y = x * 2\nlet z = true');
    expect(block).toHaveBeenCalledTimes(2);
    expect(letBuilt).toHaveBeenCalledTimes(3);
    expect(throughGrammarBuilt).not.toHaveBeenCalled();
    block.mockClear();
    letBuilt.mockClear();
    const notPlain = [
      'block b(n = -1) { dense(n) }',
      'block b(n k) { dense(n) }',
      'block input() { dense(4) }',
      'block b(input) { dense(4) }',
      'block b(n : 2) { dense(n) }',
      'block b() { dense(4) as d }',
      'let x = a.b',
      'let x = f(1)',
      'let x = 1 + 2 * 3',
      'let x = -1',
      'let x = "s"',
      'let input = 1',
      'let x : 1',
      'let x = encoder',
    ];
    parseSource(notPlain.join('\n'));
    expect(block).not.toHaveBeenCalled();
    expect(letBuilt).not.toHaveBeenCalled();
    expect(throughGrammarBuilt).toHaveBeenCalledTimes(notPlain.length);
  });

  it('leave the full CST to callers of parse, which set no sink', () => {
    const { cst } = parse('block b() { dense(8) }\nlet x = 1');
    const [block, constant] = cst.children.declaration!;
    expect(block!.children.blockDeclaration).toHaveLength(1);
    expect(constant!.children.letDeclaration).toHaveLength(1);
  });
});
