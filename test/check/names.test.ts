// Names: constants and their arithmetic, blocks with parameters and defaults, imports (plain and
// as a namespace), cycles, missing files, duplicates, did-you-mean.
import { describe, expect, it } from 'vitest';
import { analyze, codes, onlyModel } from './helpers.js';

const tail = `  latent z = dense(2)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = mse(x_hat, x)\n}\n`;
const withEncoder = (prelude: string, encoder: string) => `${prelude}\nmodel m {\n  input x: [784] in [0, 1]\n  encoder { ${encoder} }\n${tail}`;
const units = (text: string, files: Record<string, string> = {}) =>
  onlyModel(text, files).nodes.filter((n) => n.stage === 'encoder' && n.op === 'dense').map((n) => (n.attrs as { units: number }).units);

describe('constants', () => {
  it('folds arithmetic over lets', () => {
    expect(units(withEncoder('let c1 = 64\nlet c2 = c1 / 2 + 2 * (3 - 1)', 'dense(c1), dense(c2)'))).toEqual([64, 36]);
  });

  it('a size that is not whole is an error at the expression', () => {
    const a = analyze(withEncoder('let c1 = 16', 'dense(c1 / 3)'));
    expect(codes(a)).toEqual(['AE2015@4:19']);
    expect(a.diagnostics[0]!.message).toContain('5.33333');
  });

  it('unknown names get did-you-mean; division by zero and self-reference are reported', () => {
    const a = analyze(withEncoder('let code = 30\nlet a = b\nlet b = a\nlet d = 1 / 0', 'dense(cdoe)'));
    expect(codes(a)).toEqual(['AE2011@2:5', 'AE2016@4:9', 'AE2001@7:19']);
    expect(a.diagnostics.at(-1)!.notes).toContain('did you mean `code`?');
    expect(a.diagnostics[0]!.message).toContain('a → b → a');
  });
});

describe('blocks', () => {
  const down = 'block down(c, k = 3) {\n  dense(c * k, act = relu)\n  dropout(0.1)\n}';
  it('binds parameters by position and name, with defaults', () => {
    expect(units(withEncoder(down, 'down(16), down(8, k = 2), down(k = 1, c = 5)'))).toEqual([48, 16, 5]);
  });

  it('reports arity, unknown parameters and missing arguments', () => {
    const a = analyze(withEncoder(down, 'down(1, 2, 3), down(c = 1, q = 2), down()'));
    expect(codes(a)).toEqual(['AE2006@7:24', 'AE2005@7:40', 'AE2006@7:48']);
    expect(a.diagnostics[1]!.message).toBe('block `down` has no argument `q`');
  });

  it('passes activations through parameters', () => {
    const m = onlyModel(withEncoder('block layer(n, a = relu) { dense(n, act = a) }', 'layer(32), layer(16, a = tanh), layer(8, a = leaky_relu(0.1))'));
    const acts = m.nodes.filter((n) => n.stage === 'encoder').map((n) => (n.attrs as { activation: unknown }).activation);
    expect(acts).toEqual([{ fn: 'relu' }, { fn: 'tanh' }, { fn: 'leaky_relu', alpha: 0.1 }]);
  });

  it('a block using itself is reported', () => {
    expect(codes(analyze(withEncoder('block a() { b() }\nblock b() { a() }', 'a()')))).toEqual(['AE2012@2:13']);
  });

  it('repeat expands its layers', () => {
    expect(units(withEncoder('', 'repeat 3 { dense(10) }'))).toEqual([10, 10, 10]);
  });

  it('an `as` name on a block names its last layer', () => {
    const m = onlyModel(withEncoder('block pair(n) { dense(n), dense(n) }', 'pair(8) as h'));
    expect(m.tensors.get('h')?.nodeId).toBe('encoder.1.dense');
    expect(m.layerNames.map((l) => l.name)).toEqual(['h']);
  });
});

describe('imports', () => {
  const lib = 'let code = 12\nblock down(c) { dense(c, act = relu) }\n';
  it('plain imports bring lets and blocks', () => {
    expect(units(withEncoder('import "lib.ae"', 'down(code * 2)'), { 'lib.ae': lib })).toEqual([24]);
  });

  it('aliased imports are namespaces: lib.code, lib.down(16)', () => {
    expect(units(withEncoder('import "lib/nn.ae" as lib', 'lib.down(lib.code + 4)'), { 'lib/nn.ae': lib })).toEqual([16]);
  });

  it('imports are relative to the importing file', () => {
    const files = { 'lib/nn.ae': 'import "sizes.ae"\nblock down(c) { dense(c * unit) }', 'lib/sizes.ae': 'let unit = 3' };
    expect(units(withEncoder('import "lib/nn.ae"', 'down(5)'), files)).toEqual([15]);
  });

  it('a missing file is reported at the import string', () => {
    const a = analyze(withEncoder('import "nope.ae"', 'dense(8)'));
    expect(codes(a)).toEqual(['AE2008@1:8']);
  });

  it('a cycle is reported at every import along it', () => {
    const files = { 'a.ae': 'import "b.ae"\nlet x = 1', 'b.ae': 'import "main.ae"\nlet y = 2' };
    const a = analyze(withEncoder('import "a.ae"', 'dense(8)'), files);
    const cycle = a.diagnostics.filter((d) => d.code === 'AE2009');
    expect(cycle.map((d) => `${d.file}:${d.range.start.line}`).sort()).toEqual(['a.ae:1', 'b.ae:1', 'main.ae:1']);
    expect(cycle[0]!.message).toContain('main.ae → a.ae → b.ae → main.ae');
  });

  it('unknown members of a namespace get did-you-mean', () => {
    const a = analyze(withEncoder('import "lib.ae" as lib', 'lib.dwn(lib.cod)'), { 'lib.ae': lib });
    expect(codes(a)).toEqual(['AE2013@4:17']);
    expect(a.diagnostics[0]!.notes).toContain('did you mean `down`?');
  });
});

describe('duplicates', () => {
  it('are reported at both places, each pointing at the other', () => {
    const a = analyze(withEncoder('let c = 1\nlet c = 2', 'dense(8)'));
    expect(codes(a)).toEqual(['AE2002@1:5', 'AE2002@2:5']);
    expect(a.diagnostics[0]!.related[0]!.range.start.line).toBe(2);
    expect(a.diagnostics[1]!.related[0]!.range.start.line).toBe(1);
  });

  it('tensor names (inputs, latent, as names) are one namespace', () => {
    const a = analyze(withEncoder('', 'dense(8) as z'));
    expect(codes(a)).toEqual(['AE2002@4:25', 'AE2002@5:10']);
  });

  it('a model missing its latent, decoder or output says so', () => {
    const a = analyze('model m {\n  input x: [4]\n  encoder { dense(2) }\n  loss = mse(x, x)\n}\n');
    expect(a.diagnostics.filter((d) => d.code === 'AE2017').map((d) => d.message)).toEqual([
      'model `m` needs a `latent`',
      'model `m` needs a `decoder`',
      'model `m` needs an `output` (`output x_hat = sigmoid`)',
    ]);
  });

  it("one model's errors do not stop the next model", () => {
    const a = analyze(`${withEncoder('', 'dense(nope)')}\nmodel ok {\n  input x: [4]\n  encoder { dense(2) }\n${tail}`);
    expect(codes(a)).toEqual(['AE2001@4:19']);
    expect(a.irs.map((ir) => ir.model)).toEqual(['ok']);
  });
});
