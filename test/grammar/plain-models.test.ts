// Plain models (`model m { ... }` whose members are all plain: see AeParser.plainModelLength), and
// the plain members added with them (`input x: [8] in [0, 1]`, `input y: label(10)`, `encoder {
// dense(4) }`), are built from their tokens instead of through the grammar's rules (issue 22: a
// megabyte of small models). The tree and the diagnostics must be exactly those of the grammar,
// whatever surrounds them, and whatever is not plain must still go through the grammar.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseSource } from '../../grammar/index.js';
import { AstBuilder } from '../../grammar/build-ast/index.js';
import { aeParser } from '../../grammar/parser.js';

/** What parseSource gives with every fast path off: each plain length says "not plain", so every
 *  declaration, member and layer goes through the grammar's rules. */
function throughGrammar(text: string): ReturnType<typeof parseSource> {
  const fastPaths = ['plainModelLength', 'plainBlockLength', 'plainLetLength', 'plainMemberLength', 'plainLayerLength'] as const;
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

// Plain members, members next to plain (one token off), and broken ones.
const memberTexts = [
  'input x: [8] in [0, 1]',
  'input x: [28, 28, 1] in [-1, +1]',
  'input x: [n, 4] in [lo, hi]',
  'input x: [8] in [-x, true]',
  'input x: [8]',
  'input x: []',
  'input x: [8] in [0, 1, 2]',
  'input x: [8] in [0]',
  'input x: [8] in []',
  'input x = [8] in [0, 1]',
  'input x: [8,] in [0, 1]',
  'input x: [8] in [0, 1,]',
  'input x: [8 8] in [0, 1]',
  'input x: [2 * n] in [0, 1]',
  'input x: [- -1]',
  'input x: [8][0]',
  'input x: [8] in',
  'input x: [8] in (0, 1)',
  'input x: [8] in [0, 1] as q',
  'input x: [f(2)] in [0, 1]',
  'input x: ["s"]',
  'input input: [8]',
  'input: [8]',
  'input x: label(10)',
  'input x: label(n)',
  'input x: label(-1)',
  'input x: label(10, 2)',
  'input x: label()',
  'input x: lable(10)',
  'input x = label(10)',
  'input x: table(a, b)',
  'input x: label(10).y',
  'encoder { dense(4) }',
  'encoder { }',
  'encoder { dense(4), relu(), }',
  'encoder { dense(4) relu() }',
  'encoder { dense(4),, relu() }',
  'encoder { dense(4) flatten }',
  'encoder { flatten, relu dense(4), }',
  'encoder { flatten as f }',
  'encoder { flatten.x }',
  'encoder { flatten = 2 }',
  'encoder { lib.flatten }',
  'encoder { dense(4) as a }',
  'encoder { repeat 2 { dense(4) } }',
  'encoder on y { dense(4) }',
  'encoder dense(4)',
  'encoder { dense(4)',
  'decoder { dense(8), sigmoid() }',
  'decoder { }',
  'decoder = { dense(8) }',
  'decoder = mirror(encoder)',
  'latent z = identity',
  'latent z = gaussian(8)',
  'output x_hat = sigmoid',
  'loss = bce(x_hat, x)',
  'loss = bce(x_hat, x) + 1',
  'loss = bce(x_hat, x) * 2',
  'loss = bce(x_hat, x) - 1',
  'loss = bce(x_hat, x)(1)',
  'loss = bce(x_hat, x)[0]',
  'loss = bce(x_hat, x).y',
  'loss = bce(x_hat, x) 2',
  'loss = bce(x_hat, x) / 2',
  'corrupt x with noise(0.1)',
  'train { epochs = 2 }',
];

describe('plain models and their members', () => {
  afterEach(() => vi.restoreAllMocks());

  it('give the tree and the diagnostics the grammar gives, next to every other kind of member', () => {
    for (const a of memberTexts) {
      for (const b of memberTexts) {
        const joint = [', ', '\n  ', ' '][(a.length + b.length) % 3]!;
        const text = `model m {\n  ${a}${joint}${b}${joint}${a}\n}\nmodel n { ${b} }\nmodel o { ${a}, }\n`;
        expectAsGrammar(text);
      }
    }
  });

  it('give the tree and the diagnostics the grammar gives between other declarations and broken ones', () => {
    const declarations = [
      'model m { input x: [8] in [0, 1] encoder { dense(4) } latent z = identity decoder = mirror(encoder) output x_hat = sigmoid loss = bce(x_hat, x) }',
      'model m {}',
      'model m { }',
      'model input { latent z = identity }',
      'model m { latent z = identity },',
      'model m { latent z = identity, , }',
      'model m { latent z = identity',
      'model { latent z = identity }',
      'model m ( latent z = identity )',
      'let n = 4',
      'block b(n = 2) { dense(n) }',
      'import "lib.ae" as lib',
      '}',
      '@',
    ];
    for (const a of declarations) {
      for (const b of declarations) {
        for (const joint of ['\n', ' ', '\n// c\n']) expectAsGrammar(`${a}${joint}${b}${joint}${a}\n`);
      }
    }
  });

  it('give the tree and the diagnostics the grammar gives around broken text (seeded)', () => {
    const pieces = ['input', 'x', ':', '=', '[', ']', 'in', '8', '0', '1', '-', '+', ',', 'label', '(', ')', 'encoder', 'decoder', '{', '}', 'dense', 'model', 'm', 'latent', 'as', '"s"', '\n', '//c\n', '@', 'loss', 'bce(a, b)', '*', '/', '.'];
    let seed = 2207;
    const next = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let i = 0; i < 500; i++) {
      const body = Array.from({ length: 1 + next(10) }, () => pieces[next(pieces.length)]).join(next(2) ? ' ' : '');
      const text =
        `model m {\n  input x: [8] in [0, 1] ${body}\n  encoder { dense(4) ${body} }\n  loss = bce(x, y) ${body}\n  decoder { dense(8) }\n}\n` +
        `model n { input y: label(3), encoder { dense(2), } ${body} }\nmodel o { ${body} }\n`;
      expectAsGrammar(text);
    }
  });

  it('give the tree and the diagnostics the grammar gives past the nesting limit and the error budget', () => {
    const model = 'model m { input x: [8] in [0, 1] encoder { dense(4) } loss = bce(x, y) }\n';
    // Past the nesting limit (AE1024): a plain model before, inside the cut and after it.
    const deep = `let a = ${'('.repeat(80)}1${')'.repeat(80)}\n`;
    expectAsGrammar(`${model}${deep}${model}`);
    expectAsGrammar(`let b = ${'['.repeat(70)}${model}${']'.repeat(70)}\n${model}`);
    // Past the error budget the parse stops; the plain models read before it are kept.
    const broken = 'let x = = )\n'.repeat(1_200);
    const { ast } = parseSource(`${model}${broken}${model}`);
    expect(ast.declarations[0]?.kind).toBe('ModelDeclaration');
    expectAsGrammar(`${model}${broken}${model}`);
    expectAsGrammar(`${model}${model}model m { ${'latent = \n'.repeat(1_200)} }`);
  });

  it('are built from their tokens, and a model that is not plain is not', () => {
    const model = vi.spyOn(AstBuilder.prototype, 'buildPlainModel');
    const member = vi.spyOn(AstBuilder.prototype, 'buildPlainMember');
    parseSource('model m {\n input x: [8] in [0, 1]\n encoder { dense(4) }\n latent z = identity\n decoder = mirror(encoder)\n}\nmodel n { input y: label(3) }');
    expect(model).toHaveBeenCalledTimes(2);
    expect(member).not.toHaveBeenCalled();
    model.mockClear();
    // One member that is not plain: the model goes through the grammar, its plain members do not.
    parseSource('model m {\n input x: [8] in [0, 1]\n encoder { dense(4) }\n latent z = identity\n train { epochs = 2 }\n}');
    expect(model).not.toHaveBeenCalled();
    expect(member).toHaveBeenCalledTimes(3);
    member.mockClear();
    parseSource('model m {\n input x: [8] in [0, 1, 2]\n encoder on y { dense(4) }\n input y = label(3)\n}');
    expect(model).not.toHaveBeenCalled();
    expect(member).not.toHaveBeenCalled();
  });
});
