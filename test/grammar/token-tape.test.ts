// The scanner puts tokens on a tape of columns (grammar/token-tape.ts), and a token becomes an
// object only where Chevrotain's grammar reads it: a megabyte of plain declarations, built by the
// fast paths from the columns, makes none, and the parser lets go of the tape when it is done.
// What the objects say is tested against Chevrotain's own lexer in scanner.test.ts.
import type { IToken } from 'chevrotain';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse, parseSource } from '../../grammar/index.js';
import { aeParser } from '../../grammar/parser.js';
import { scanTape } from '../../grammar/scanner.js';
import { TokenTape } from '../../grammar/token-tape.js';
import { families } from '../fuzz/families.js';

const smallModel = 'model m {\n  input x: [8] in [0, 1]\n  encoder { dense(4) }\n  latent z = identity\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = bce(x_hat, x)\n}\n';

/** The token objects the tape makes while `run` runs. */
function objectsMade(run: () => void): IToken[] {
  const made = new Set<IToken>();
  const original = TokenTape.prototype.token;
  vi.spyOn(TokenTape.prototype, 'token').mockImplementation(function (this: TokenTape, index: number) {
    const token = original.call(this, index);
    made.add(token);
    return token;
  });
  try {
    run();
  } finally {
    vi.restoreAllMocks();
  }
  return [...made];
}

describe('the token tape', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads each token as its text, offsets and type, and as the same object every time', () => {
    const text = 'let width = 64 // a comment\nmodel m { input x: [width] }';
    const { tape, comments } = scanTape(text);
    expect(tape.length).toBe(14);
    expect([tape.image(0), tape.start(0), tape.end(0), tape.type(0).name]).toEqual(['let', 0, 3, 'Let']);
    expect([tape.image(3), tape.start(3), tape.end(3), tape.type(3).name]).toEqual(['64', 12, 14, 'NumberLiteral']);
    const at = text.lastIndexOf('width');
    expect([tape.image(11), tape.start(11), tape.end(11), tape.type(11).name]).toEqual(['width', at, at + 5, 'Identifier']);
    expect(tape.token(11)).toBe(tape.token(11));
    expect(tape.token(11)).toMatchObject({ image: 'width', startOffset: at, endOffset: at + 4, tokenTypeIdx: tape.typeIndex(11) });
    expect(comments.map((c) => [c.image, c.startOffset])).toEqual([['// a comment', 15]]);
  });

  it('makes no token object for a file of plain models, and only those of what the grammar reads', () => {
    const plain = families.find((f) => f.name === 'many models')!.make(200);
    // One: the file's first token, which the grammar's loop over declarations reads to enter it.
    expect(objectsMade(() => parseSource(plain)).map((token) => token.startOffset)).toEqual([0]);
    // A model with a member the fast paths leave to the grammar (a `repeat`): the tokens made are
    // that model's (the grammar reads its own tokens and that member's), and no plain model's.
    const ruled = smallModel.replace('model m', 'model ruled').replace('dense(4)', 'repeat 2 { dense(4) }');
    const made = objectsMade(() => parseSource(plain + ruled)).filter((token) => token.startOffset > 0);
    expect(made.length).toBeGreaterThan(0);
    expect(made.every((token) => token.startOffset >= plain.length)).toBe(true);
    expect(made.map((token) => token.image)).toEqual(expect.arrayContaining(['ruled', 'repeat', '2']));
  });

  it('gives the grammar the same objects as the tree keeps', () => {
    const { cst, tape } = parse('let a = 1 + 23\n');
    const declaration = cst.children.declaration![0]!.children.letDeclaration![0]!;
    expect(declaration.children.Let![0]).toBe(tape.token(0));
    expect(tape.objects.filter((o) => o !== undefined)).toHaveLength(tape.length);
  });

  it('is let go of by the parser when a parse ends, so that it holds no file after it', () => {
    parseSource(smallModel.repeat(3));
    expect(aeParser.input).toHaveLength(0);
    parseSource('model m { encoder { ( } }');
    expect(aeParser.input).toHaveLength(0);
  });

  it('leaves out what the nesting limit cuts, and the grammar parses what is left', () => {
    const deep = `let a = ${'('.repeat(70)}1${')'.repeat(70)}\nlet b = 2\n`;
    const { tape, nestingCuts } = parse(deep);
    expect(nestingCuts).toHaveLength(1);
    // What is left is the tape without the cut: its last tokens are `let b = 2` of the next line.
    const last = [tape.length - 4, tape.length - 3, tape.length - 2, tape.length - 1].map((i) => tape.image(i));
    expect(last).toEqual(['let', 'b', '=', '2']);
    expect(tape.start(tape.length - 1)).toBe(deep.lastIndexOf('2'));
    expect(parseSource(deep).ast.declarations.map((d) => d.kind === 'LetDeclaration' && d.name.name)).toEqual(['a', 'b']);
  });
});
