// Plain layers (`dense(8, act = relu)`: a name and arguments that are each a number, a name or a
// boolean, optionally named) are built from their tokens instead of through the grammar's seven
// rules (issue 22: a megabyte of layers parses in a third of the time). The tree must be exactly the
// one the grammar's CST gives, whatever surrounds the layer, and a layer that is not plain must
// still go through the grammar.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LineMap, parse, parseSource } from '../../grammar/index.js';
import { AstBuilder } from '../../grammar/build-ast/index.js';

/** The tree built from the full CST, every layer through the grammar (no sink is set by `parse`). */
function treeThroughGrammar(text: string): unknown {
  const parsed = parseSource(text);
  const { cst } = parse(text);
  return new AstBuilder().build(cst, new LineMap(text), parsed.ast.comments).ast;
}

const layers = [
  'dense(8)',
  'dense(8, act = relu)',
  'b()',
  'f(a = 1, b = x, c = true, d = false, 2.5e-3)',
  'dense(8,)',
  'dense(8) as d',
  'dense(8 4)',
  'dense(act: relu)',
  'dense(-1)',
  'lib.down(2)',
  'dense(x.y)',
  'dense(f(2))',
  'dense(8, , 4)',
  'flatten',
  'flatten as f',
  'relu.x',
  'relu[0]',
  'act = relu',
  'dense(encoder)',
  'dense(a = b = c)',
  'dense("s")',
  'dense(8 * 2)',
  'dense(x[0])',
  'dense(n = 4) /* c */',
];

describe('plain layers', () => {
  afterEach(() => vi.restoreAllMocks());

  it('give the tree the grammar gives, next to every other kind of layer', () => {
    for (const a of layers) {
      for (const b of layers) {
        const text = `block q() { ${a}, ${b} ${a}\n${b} }\nmodel m {\n  encoder { ${a} repeat 2 { ${b}, } }\n  head h on z { ${b} }\n}\n`;
        expect(parseSource(text).ast, text).toEqual(treeThroughGrammar(text));
      }
    }
  });

  it('give the tree and the diagnostics the grammar gives around broken text (seeded)', () => {
    const pieces = ['dense', '(', ')', '8', ',', 'act', '=', ':', 'relu', 'true', 'as', 'x', '.', '[', ']', '-', '"s"', 'repeat', '{', '}', '\n', '//c\n', 'encoder', '@'];
    let seed = 22;
    const next = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let i = 0; i < 400; i++) {
      const body = Array.from({ length: 1 + next(12) }, () => pieces[next(pieces.length)]).join(next(2) ? ' ' : '');
      const text = `model m {\n  encoder { dense(4) ${body} dense(2, act = relu) }\n}\nblock b(n = 2) { c(n) ${body} }\n`;
      // Diagnostics come from the parse and from the builder: a plain layer has none of its own, so
      // those of the text are those of the grammar's parse of it.
      const parsed = parseSource(text);
      const built = new AstBuilder().build(parse(text).cst, new LineMap(text), parsed.ast.comments);
      expect(parsed.ast, text).toEqual(built.ast);
      const reported = parsed.diagnostics.map((d) => `${d.code}@${d.range.start.offset}`);
      for (const d of built.diagnostics) expect(reported, text).toContain(`${d.code}@${d.range.start.offset}`);
    }
  });

  it('are built from their tokens, and a layer that is not plain is parsed by the grammar', () => {
    const plain = vi.spyOn(AstBuilder.prototype, 'buildPlainLayer');
    const throughGrammar = vi.spyOn(AstBuilder.prototype, 'buildLayer');
    // (The default `2 * 4` is not plain, so neither is the block, whose layers are taken one by one.)
    parseSource('block q(n = 2 * 4) { dense(8), dense(4, act = relu) b() }');
    expect(plain).toHaveBeenCalledTimes(3);
    expect(throughGrammar).not.toHaveBeenCalled();
    plain.mockClear();
    parseSource('model m { encoder { dense(8) as d, dense(2 * 4), lib.down(2), flatten as f, dense(8,) } }');
    expect(plain).not.toHaveBeenCalled();
    expect(throughGrammar).toHaveBeenCalledTimes(5);
    // A bare name is plain too.
    parseSource('block q(n = 2 * 4) { flatten, relu\n dense(8) }');
    expect(plain).toHaveBeenCalledTimes(3);
  });

  it('leave the full CST to callers of parse, which set no sink', () => {
    const { cst } = parse('block b() { dense(8) }');
    const layerBlock = cst.children.declaration![0]!.children.blockDeclaration![0]!.children.layerBlock![0]!;
    expect(layerBlock.children.layer![0]!.children.layerCall).toHaveLength(1);
  });
});
