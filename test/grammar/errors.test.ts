import { describe, expect, it } from 'vitest';
import type { LetDeclaration, LossMember } from '../../grammar/ast.js';
import { parseSource } from '../../grammar/index.js';
import { brief, onlyModel } from './helpers.js';

describe('syntax errors', () => {
  it('reports a missing comma on line 4 and a dangling `+` on line 9, and keeps the model', () => {
    const text = [
      'let before = 1',
      'model m {',
      '  input x: [784] in [0, 1]',
      '  encoder { dense(64 act = relu) }',
      '  latent z = dense(8)',
      '  decoder = mirror(encoder)',
      '  output x_hat = sigmoid',
      '',
      '  loss = mse(x_hat, x) +',
      '}',
      'let after = 2',
    ].join('\n');
    const { ast, diagnostics } = parseSource(text);
    expect(brief(diagnostics)).toEqual([
      'AE1011 4:22 missing `,` between arguments',
      'AE1016 9:24 expected an expression after `+`, found `}`',
    ]);
    expect(diagnostics[0]!.fix?.edits[0]).toMatchObject({ newText: ',', range: { start: { line: 4, column: 21 } } });
    expect(ast.declarations.map((d) => d.kind)).toEqual(['LetDeclaration', 'ModelDeclaration', 'LetDeclaration']);
    const model = onlyModel(ast);
    expect(model.members.map((m) => m.kind)).toEqual(['InputMember', 'EncoderMember', 'LatentMember', 'DecoderMember', 'OutputMember', 'LossMember']);
    const loss = model.members[5] as LossMember;
    expect(loss.value).toMatchObject({ kind: 'BinaryExpression', operator: '+', right: { kind: 'MissingExpression', recovered: true } });
  });

  it('keeps intact declarations around a broken one', () => {
    const { ast, diagnostics } = parseSource('let a = 1\nlet = \nmodel ok { loss = mse(x_hat, x) }\nlet c = 3');
    expect(diagnostics.length).toBeGreaterThan(0);
    const names = ast.declarations.map((d) => ('name' in d ? d.name.name : ''));
    expect(names).toContain('a');
    expect(names).toContain('ok');
    expect(names).toContain('c');
  });

  it('says `:` where `=` belongs, with a fix', () => {
    const { diagnostics } = parseSource('let a: 3');
    expect(brief(diagnostics)).toEqual(['AE1013 1:6 expected `=` after the name in `let`, found `:`']);
    expect(diagnostics[0]!.fix).toMatchObject({ message: 'replace `:` with `=`', edits: [{ newText: '=' }] });
    const inTrain = parseSource('model m { train { epochs: 5 } }').diagnostics;
    expect(brief(inTrain)).toEqual(['AE1013 1:25 expected `=` after the setting `epochs`, found `:`']);
  });

  it('says `=` where `:` belongs on an input', () => {
    expect(brief(parseSource('model m { input x = [784] }').diagnostics)).toEqual([
      'AE1014 1:19 expected `:` between an input and its type, found `=`',
    ]);
  });

  it('names a keyword used as a name and suggests a rename', () => {
    const { ast, diagnostics } = parseSource('let input = 3');
    expect(brief(diagnostics)).toEqual(['AE1015 1:5 `input` is a keyword and cannot be used as a name; rename it, e.g. `input_`']);
    expect(diagnostics[0]!.fix?.edits[0]?.newText).toBe('input_');
    expect((ast.declarations[0] as LetDeclaration).value).toMatchObject({ value: 3 });
  });

  it('points an unclosed `{` back at the brace', () => {
    const { diagnostics } = parseSource('model m {\n  encoder { dense(3) }\n');
    expect(brief(diagnostics)).toEqual(['AE1012 2:23 unclosed `{`: the file ended before its `}`']);
    // (A range's positions are made when read: matched, not compared key by key.)
    expect(diagnostics[0]!.related).toHaveLength(1);
    expect(diagnostics[0]!.related![0]).toMatchObject({ message: 'the `{` opened here', range: { start: { offset: 8, line: 1, column: 9 }, end: { offset: 9, line: 1, column: 10 } } });
  });

  it('reports a dangling operator at the end of the file at the operator', () => {
    expect(brief(parseSource('let t = mse(a, b) +').diagnostics)).toEqual([
      'AE1016 1:19 expected an expression after `+`, found the end of the file',
    ]);
  });

  it('reports unterminated strings and comments, and unexpected characters', () => {
    expect(brief(parseSource('let s = "abc\nlet b = 2').diagnostics)).toEqual([
      'AE1002 1:9 unterminated string: it needs a closing `"` on the same line',
    ]);
    expect(brief(parseSource('let a = 1 /* open').diagnostics)).toEqual([
      'AE1003 1:11 unterminated block comment: `/*` has no `*/`, so the rest of the file is a comment',
    ]);
    expect(brief(parseSource('let a = 3 # 4\nlet b = 2').diagnostics)).toEqual(['AE1001 1:11 unexpected character `#`']);
  });

  it('never dumps token type names', () => {
    const broken = ['model {', 'let = =', 'model m { input x: }', 'block b( { }', 'model m { train { 3 } }', 'let a = [1, 2', ')))'];
    for (const text of broken) {
      for (const d of parseSource(text).diagnostics) {
        expect(d.message).not.toMatch(/LCurly|RCurly|LParen|RParen|Identifier|Binder|EOF|-->|<|Token/);
      }
    }
  });

  it('marks recovered nodes', () => {
    const { ast } = parseSource('let a =');
    expect((ast.declarations[0] as LetDeclaration).value).toMatchObject({ kind: 'MissingExpression', recovered: true });
  });

  it('suggests the member a misspelt one resembles and keeps the rest of the model', () => {
    const { ast, diagnostics } = parseSource('model m {\n  encoderr { dense(3) }\n  latent z = dense(2)\n}');
    expect(diagnostics.map((d) => d.code)).toEqual(['AE1023']);
    expect(diagnostics[0]!.notes).toEqual(['did you mean `encoder`?']);
    expect(onlyModel(ast).members.map((m) => m.kind)).toEqual(['LatentMember']);
  });
});
