import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { BinaryExpression, Call, DecoderMember, InputMember, LetDeclaration, TrainMember } from '../../grammar/ast.js';
import { parse, parseSource } from '../../grammar/index.js';
import { keywordNames } from '../../grammar/tokens.js';
import { brief, onlyModel, parseOk, validSpecs } from './helpers.js';

function letValue(text: string) {
  return (parseOk(text).declarations[0] as LetDeclaration).value;
}

describe('valid specs (every LANGUAGE.md example)', () => {
  const specs = validSpecs();
  it('covers the documented examples', () => {
    expect(specs.map((s) => s.path.split('/').pop())).toEqual(
      expect.arrayContaining(['hinton2006.ae', 'sdae.ae', 'cae.ae', 'vae.ae', 'sparse.ae', 'contractive.ae', 'vqvae.ae']),
    );
  });
  for (const spec of specs) {
    it(`${spec.path.split('/').pop()} parses without diagnostics`, () => {
      const { diagnostics, ast } = parseSource(spec.text);
      expect(diagnostics).toEqual([]);
      expect(ast.declarations.length).toBeGreaterThan(0);
      expect(parse(spec.text).parseErrors).toEqual([]);
    });
  }
});

describe('the hinton example', () => {
  const text = readFileSync(new URL('../../specs/valid/hinton2006.ae', import.meta.url), 'utf8');
  const ast = parseOk(text);
  const model = onlyModel(ast);

  it('has the let and the model with every member in order', () => {
    expect(ast.declarations.map((d) => d.kind)).toEqual(['LetDeclaration', 'ModelDeclaration']);
    expect(model.name.name).toBe('deep_mnist');
    expect(model.members.map((m) => m.kind)).toEqual([
      'InputMember', 'EncoderMember', 'LatentMember', 'DecoderMember', 'OutputMember', 'LossMember', 'TrainMember',
    ]);
  });

  it('gives the input its dimensions and value range with exact ranges', () => {
    const input = model.members[0] as InputMember;
    expect(input.range.start).toEqual({ offset: text.indexOf('input x'), line: 5, column: 3 });
    expect(input.range.end).toMatchObject({ line: 5, column: 33 });
    expect(input.type.kind).toBe('TensorType');
    if (input.type.kind !== 'TensorType') return;
    expect(input.type.dimensions.map((d) => (d.kind === 'NumberLiteral' ? d.value : null))).toEqual([28, 28, 1]);
    expect(input.type.valueRange?.low).toMatchObject({ kind: 'NumberLiteral', value: 0 });
    expect(input.type.valueRange?.high).toMatchObject({ kind: 'NumberLiteral', value: 1 });
  });

  it('reads the encoder layers as calls, `flatten` without parentheses', () => {
    const encoder = model.members[1]!;
    if (encoder.kind !== 'EncoderMember') throw new Error();
    expect(encoder.keyword.start).toMatchObject({ line: 7, column: 3 });
    const calls = encoder.layers.map((l) => (l.kind === 'LayerCall' ? l.call : undefined));
    expect(calls.map((c) => (c?.callee.kind === 'NameRef' ? c.callee.name : ''))).toEqual(['flatten', 'dense', 'dense', 'dense']);
    expect(calls[0]?.hasParens).toBe(false);
    expect(calls[1]?.args[1]).toMatchObject({ name: { name: 'act' }, value: { kind: 'NameRef', name: 'relu' } });
  });

  it('reads `mirror(encoder, tied = true)` with the keyword as its source', () => {
    const decoder = model.members[3] as DecoderMember;
    expect(decoder.layers).toBeUndefined();
    expect(decoder.mirror?.source).toMatchObject({ kind: 'NameRef', name: 'encoder', range: { start: { line: 14, column: 20 } } });
    expect(decoder.mirror?.args).toHaveLength(1);
    expect(decoder.mirror?.args[0]).toMatchObject({ name: { name: 'tied' }, value: { kind: 'BooleanLiteral', value: true } });
  });

  it('keeps number spellings and the train settings', () => {
    const train = model.members[6] as TrainMember;
    expect(train.name).toBeUndefined();
    expect(train.settings.map((s) => s.name.name)).toEqual(['data', 'validate', 'optimizer', 'epochs', 'batch', 'seed']);
    const optimizer = train.settings[2]!.value as Call;
    expect(optimizer.args[0]!.value).toMatchObject({ kind: 'NumberLiteral', value: 0.001, raw: '1e-3' });
    expect(train.settings[0]!.value).toMatchObject({ kind: 'Call', args: [{ value: { kind: 'StringLiteral', value: 'train', raw: '"train"' } }] });
  });

  it('keeps every comment, in order, with its range', () => {
    expect(ast.comments.map((c) => c.text.slice(0, 12))).toEqual(['// hinton200', '// linear co', '// 250, 500,', '// activatio']);
    expect(ast.comments[1]!.range.start).toMatchObject({ line: 13, column: 43 });
    expect(ast.comments.every((c) => !c.block)).toBe(true);
  });
});

describe('members', () => {
  it('reads label inputs, corruption chains, heads, and a phase-local loss', () => {
    const model = onlyModel(
      parseOk(`model m {
        input y: label(10)
        corrupt x with gaussian(std = 0.5) then clip(0, 1)
        head digits on z { dense(10, act = softmax) }
        output x_hat = leaky_relu(0.2)
        train finetune { epochs = 3, loss = cross_entropy(digits, y) batch = 4 }
      }`),
    );
    expect(model.members[0]).toMatchObject({ type: { kind: 'LabelType', classes: { value: 10 } } });
    expect(model.members[1]).toMatchObject({ kind: 'CorruptMember', target: { name: 'x' }, chain: [{ callee: { name: 'gaussian' } }, { callee: { name: 'clip' } }] });
    expect(model.members[2]).toMatchObject({ kind: 'HeadMember', name: { name: 'digits' }, on: { kind: 'NameRef', name: 'z' } });
    expect(model.members[3]).toMatchObject({ kind: 'OutputMember', activation: { callee: { name: 'leaky_relu' }, hasParens: true } });
    const train = model.members[4] as TrainMember;
    expect(train.settings.map((s) => s.name.name)).toEqual(['epochs', 'batch']);
    expect(train.loss?.value).toMatchObject({ kind: 'Call', callee: { name: 'cross_entropy' } });
  });

  it('reads a bare `early_stop(...)` in a phase as shorthand for `early_stop = early_stop(...)`', () => {
    const model = onlyModel(parseOk('model m {\n  train { epochs = 3, early_stop(patience = 3)\n    batch = 4 }\n}'));
    const train = model.members[0] as TrainMember;
    expect(train.settings.map((s) => [s.name.name, s.shorthand ?? false])).toEqual([['epochs', false], ['early_stop', true], ['batch', false]]);
    const shorthand = train.settings[1]!;
    expect(shorthand.value).toMatchObject({
      kind: 'Call', callee: { kind: 'NameRef', name: 'early_stop' }, hasParens: true,
      args: [{ name: { name: 'patience' }, value: { kind: 'NumberLiteral', value: 3 } }],
    });
    expect([shorthand.range.start, shorthand.range.end].map((p) => `${p.line}:${p.column}`)).toEqual(['2:23', '2:47']);
    expect(shorthand.value.range).toEqual(shorthand.range);
  });

  it('still asks for `=` after a setting name with neither `=` nor arguments', () => {
    const { diagnostics, ast } = parseSource('model m { train { early_stop(patience = 3) epochs 4 } }');
    expect(brief(diagnostics)).toEqual(['AE1010 1:51 expected `=` after `epochs`, found `4`']);
    expect((onlyModel(ast).members[0] as TrainMember).settings.map((s) => s.name.name)).toEqual(['early_stop', 'epochs']);
  });

  it('accepts `label` as an ordinary argument name', () => {
    const value = letValue('let d = csv("data.csv", label = "digit")') as Call;
    expect(value.args[1]).toMatchObject({ name: { name: 'label' }, value: { value: 'digit' } });
  });

  it('reads imports, blocks with defaults, repeat and `as` names', () => {
    const ast = parseOk(`import "lib.ae" as lib
      block down(c, k = 3) { repeat 2 { conv2d(c, kernel = k) } maxpool(2) as pooled }
      model m { encoder { lib.down(16), down(8) } freeze_check { } }`.replace('freeze_check { }', ''));
    expect(ast.declarations[0]).toMatchObject({ kind: 'ImportDeclaration', path: { value: 'lib.ae' }, alias: { name: 'lib' } });
    const block = ast.declarations[1]!;
    if (block.kind !== 'BlockDeclaration') throw new Error();
    expect(block.parameters.map((p) => [p.name.name, p.default?.kind])).toEqual([['c', undefined], ['k', 'NumberLiteral']]);
    expect(block.layers[0]).toMatchObject({ kind: 'RepeatLayers', count: { value: 2 }, layers: [{ kind: 'LayerCall' }] });
    expect(block.layers[1]).toMatchObject({ kind: 'LayerCall', alias: { name: 'pooled' } });
    const encoder = onlyModel(ast).members[0]!;
    if (encoder.kind !== 'EncoderMember') throw new Error();
    expect(encoder.layers[0]).toMatchObject({ call: { callee: { kind: 'MemberAccess', object: { name: 'lib' }, member: { name: 'down' } } } });
  });
});

describe('expressions', () => {
  it('gives `*` precedence over `+` and folds left', () => {
    const value = letValue('let a = 1 + 2 * 3 - 4') as BinaryExpression;
    expect(value.operator).toBe('-');
    expect(value.left).toMatchObject({ operator: '+', left: { value: 1 }, right: { operator: '*', left: { value: 2 }, right: { value: 3 } } });
    expect(value.range).toMatchObject({ start: { column: 9 }, end: { column: 22 } });
  });

  it('reads unary minus, parentheses, member access, indexing and lists', () => {
    expect(letValue('let a = -2 * x')).toMatchObject({ operator: '*', left: { kind: 'UnaryExpression', operator: '-', operand: { value: 2 } } });
    expect(letValue('let a = (1 + 2) * 3')).toMatchObject({ left: { kind: 'ParenExpression', expression: { operator: '+' } } });
    expect(letValue('let a = lib.code')).toMatchObject({ kind: 'MemberAccess', object: { name: 'lib' }, member: { name: 'code' } });
    expect(letValue('let a = enc[2].w')).toMatchObject({ kind: 'MemberAccess', object: { kind: 'IndexExpression', index: { value: 2 } } });
    expect(letValue('let a = [encoder, decoder]')).toMatchObject({ kind: 'ListExpression', elements: [{ kind: 'NameRef', name: 'encoder' }, { name: 'decoder' }] });
    expect(letValue('let a = "tab\\tquote\\""')).toMatchObject({ kind: 'StringLiteral', value: 'tab\tquote"' });
  });

  it('reads numbers as written', () => {
    for (const [raw, value] of [['30', 30], ['1e-3', 0.001], ['0.25', 0.25], ['2E+2', 200]] as const) {
      expect(letValue(`let a = ${raw}`)).toMatchObject({ kind: 'NumberLiteral', value, raw });
    }
  });

  it('separates layers by newlines or commas alike', () => {
    const a = onlyModel(parseOk('model m { encoder { dense(64), relu } }'));
    const b = onlyModel(parseOk('model m {\n encoder {\n dense(64)\n relu\n }\n}'));
    const kinds = (m: typeof a) => (m.members[0]!.kind === 'EncoderMember' ? m.members[0]!.layers.length : -1);
    expect(kinds(a)).toBe(2);
    expect(kinds(b)).toBe(2);
  });
});

describe('tokens', () => {
  it('has exactly the keywords of LANGUAGE.md section 2', () => {
    const documented = 'let block model import input latent encoder decoder output corrupt with then loss train head on as in mirror repeat true false';
    expect([...keywordNames].sort()).toEqual(documented.split(' ').sort());
  });

  it('lexes a name that starts with a keyword as a name', () => {
    expect(letValue('let a = encoder_out')).toMatchObject({ kind: 'NameRef', name: 'encoder_out' });
    expect(parseOk('let letter = 1').declarations[0]).toMatchObject({ name: { name: 'letter' } });
  });
});
