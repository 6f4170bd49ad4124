// Plain members (`latent z = identity`, `output y = sigmoid(a = 1)`, `loss = bce(y, x)`: see
// AeParser.plainMemberLength) are built from their tokens instead of through the grammar's rules
// (issue 22: a megabyte of small models). The tree must be exactly the one the grammar's CST gives,
// whatever surrounds the member, and a member that is not plain must still go through the grammar.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LineMap, parse, parseSource } from '../../grammar/index.js';
import { AstBuilder } from '../../grammar/build-ast/index.js';

/** The tree built from the full CST, every member through the grammar (no sink is set by `parse`). */
function treeThroughGrammar(text: string): unknown {
  const parsed = parseSource(text);
  const { cst } = parse(text);
  return new AstBuilder().build(cst, new LineMap(text), parsed.ast.comments).ast;
}

const memberTexts = [
  'latent z = identity',
  'latent z = gaussian(8)',
  'latent z = vq(k = 16, beta = 0.25, true)',
  'latent z = f()',
  'latent z = lib.vq(8)',
  'latent z = f(8,)',
  'latent z : identity',
  'latent input = identity',
  'latent z = identity(8) as q',
  'latent z =',
  'output x_hat = sigmoid',
  'output x_hat = softmax(axis = 1)',
  'output x_hat = sigmoid.x',
  'output x_hat = f(g(1))',
  'output = sigmoid',
  'loss = bce(x_hat, x)',
  'loss = bce(x_hat, x) + 0.1 * mse(a, b)',
  'loss = bce(x_hat, x).mean',
  'loss = bce(x_hat, x)[0]',
  'loss = mse(x_hat, x, weight = 2)',
  'loss = f()',
  'loss : bce(x_hat, x)',
  'loss = bce',
  'loss = bce(x_hat, -1)',
  'input x: [8] in [0, 1]',
  'encoder { dense(4) }',
  'decoder = mirror(encoder)',
  'decoder = mirror(enc)',
  'decoder = mirror(encoder, tied = true)',
  'decoder = mirror(encoder, 8, x)',
  'decoder = mirror(encoder,)',
  'decoder = mirror(tied = true)',
  'decoder = mirror(tied = true, encoder)',
  'decoder = mirror(latent)',
  'decoder = mirror()',
  'decoder = mirror(8)',
  'decoder = mirror(encoder) as d',
  'decoder : mirror(encoder)',
  'decoder = mirror encoder',
  'decoder on z = mirror(encoder)',
  'decoder { dense(8) }',
];

describe('plain members', () => {
  afterEach(() => vi.restoreAllMocks());

  it('give the tree and the diagnostics the grammar gives, next to every other kind of member', () => {
    for (const a of memberTexts) {
      for (const b of memberTexts) {
        for (const joint of ['\n  ', ', ', ' ']) {
          const text = `model m {\n  ${a}${joint}${b}${joint}${a}\n}\nmodel n { ${b} }\n`;
          const parsed = parseSource(text);
          const built = new AstBuilder().build(parse(text).cst, new LineMap(text), parsed.ast.comments);
          expect(parsed.ast, text).toEqual(built.ast);
          const reported = parsed.diagnostics.map((d) => `${d.code}@${d.range.start.offset}`);
          for (const d of built.diagnostics) expect(reported, text).toContain(`${d.code}@${d.range.start.offset}`);
        }
      }
    }
  });

  it('give the tree and the diagnostics the grammar gives around broken text (seeded)', () => {
    const pieces = ['latent', 'output', 'loss', 'decoder = mirror(', 'mirror', 'z', 'identity', 'bce', '(', ')', '8', ',', 'a', '=', ':', '.', '[', ']', '-', '+', '"s"', '{', '}', '\n', '//c\n', 'encoder', 'decoder', 'mirror', '@'];
    let seed = 22;
    const next = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let i = 0; i < 600; i++) {
      const body = Array.from({ length: 1 + next(12) }, () => pieces[next(pieces.length)]).join(next(2) ? ' ' : '');
      const text = `model m {\n  latent z = identity ${body} output y = sigmoid\n  decoder = mirror(encoder) ${body}\n  loss = bce(y, x)\n}\nmodel n { loss = f(a, 1) ${body} }\n`;
      // Diagnostics come from the parse and from the builder: a plain member has none of its own, so
      // those of the text are those of the grammar's parse of it.
      const parsed = parseSource(text);
      const built = new AstBuilder().build(parse(text).cst, new LineMap(text), parsed.ast.comments);
      expect(parsed.ast, text).toEqual(built.ast);
      expect(parsed.ast, text).toEqual(treeThroughGrammar(text));
      const reported = parsed.diagnostics.map((d) => `${d.code}@${d.range.start.offset}`);
      for (const d of built.diagnostics) expect(reported, text).toContain(`${d.code}@${d.range.start.offset}`);
    }
  });

  it('are built from their tokens, and a member that is not plain is not', () => {
    const plain = vi.spyOn(AstBuilder.prototype, 'buildPlainMember');
    // (The `corrupt` member is not plain, so neither is the model, whose members are taken one by one.)
    parseSource('model m {\n corrupt x with noise(0.1)\n latent z = identity\n output y = sigmoid(axis = 1)\n decoder = mirror(encoder, tied = true), loss = bce(y, x)\n}');
    expect(plain).toHaveBeenCalledTimes(4);
    plain.mockClear();
    parseSource('model m {\n latent z = lib.vq(8)\n output y = sigmoid.x\n loss = bce(y, x) + 1\n latent input = identity\n decoder = mirror(tied = true)\n}');
    expect(plain).not.toHaveBeenCalled();
  });

  it('leave the full CST to callers of parse, which set no sink', () => {
    const { cst } = parse('model m { latent z = identity }');
    const model = cst.children.declaration![0]!.children.modelDeclaration![0]!;
    expect(model.children.member![0]!.children.latentMember).toHaveLength(1);
  });
});
