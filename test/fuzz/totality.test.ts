// Issue 13's reproducers, each at the size that once crashed, hung or was silently cut: every one is
// now a diagnostic with its code at its place, and the deepest input the limits allow still checks,
// compiles and formats.
import { describe, expect, it } from 'vitest';
import { formatAe } from '../../compiler/format/format.js';
import { MAX_NESTING } from '../../grammar/nesting.js';
import { analyze, codes } from '../check/helpers.js';
import { families } from './families.js';

const family = (name: string) => families.find((f) => f.name === name)!;

const model = (encoder: string) =>
  `model m {\n  input x: [8] in [0, 1]\n  encoder { ${encoder} }\n  latent z = identity\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = bce(x_hat, x)\n}\n`;

describe('the compiler is total on the adversarial families', () => {
  it('a block parameter defaulting to itself is a cycle at the reference', () => {
    expect(codes(analyze(family('self-referencing block parameter').make(1)))).toEqual(['AE2011@1:14']);
  });

  it('a sum of 3,600 terms is cut at the 65th `+`, one error', () => {
    const text = family('long sum').make(3_600);
    const analysis = analyze(text);
    expect(codes(analysis)).toEqual([`AE1024@1:${'let s = '.length + MAX_NESTING * 4 + 3}`]);
    expect(analysis.irs).toEqual([]);
  });

  it('a chain of 1,100 blocks stops at the 65th call', () => {
    const analysis = analyze(family('chain of blocks').make(1_100));
    expect(codes(analysis)).toEqual(['AE2021@64:15']);
  });

  it('a cycle of 3,250 constants is the cycle error, once, its chain shortened in the middle', () => {
    const analysis = analyze(family('cycle of constants').make(3_250));
    expect(codes(analysis)).toEqual(['AE2011@1:5']);
    expect(analysis.diagnostics[0]!.message).toBe(
      'constant `c0` is defined in terms of itself (c0 → c1 → c2 → c3 → c4 → … 3,241 more … → c3246 → c3247 → c3248 → c3249 → c0)',
    );
  });

  it('a cycle of 11 constants keeps its whole chain', () => {
    const analysis = analyze(family('cycle of constants').make(11));
    expect(analysis.diagnostics[0]!.message).toBe(
      'constant `c0` is defined in terms of itself (c0 → c1 → c2 → c3 → c4 → c5 → c6 → c7 → c8 → c9 → c10 → c0)',
    );
  });

  it('a chain of 3,250 constants evaluates (no recursion through the chain)', () => {
    const analysis = analyze(family('chain of constants').make(3_250));
    expect(codes(analysis)).toEqual([]);
    expect(analysis.irs[0]!.nodes.find((n) => n.op === 'dense')!.shape).toEqual([null, 4]);
  });

  it('blocks doubling 17 times stop at 10,000 layers, before building them', () => {
    expect(codes(analyze(family('doubling blocks').make(17)))).toEqual(['AE2022@21:13']);
  });

  it('blocks of empty blocks stop at 100,000 calls', () => {
    const text = `block e0() {}\n` + Array.from({ length: 40 }, (_, i) => `block e${i + 1}() { e${i}() e${i}() }\n`).join('') + model('e40(), dense(4)');
    expect(codes(analyze(text))).toEqual([`AE2022@${text.split('\n').length - 6}:13`]);
  });

  it('1,000 nested signs, 1,800 brackets and 1,800 unclosed brackets are one AE1024 each', () => {
    const start = 'let a = '.length + 1;
    expect(codes(analyze(family('nested unary minus').make(1_000)))).toEqual([`AE1024@1:${start + MAX_NESTING * 2}`]);
    expect(codes(analyze(family('nested brackets').make(1_800)))).toEqual([`AE1024@1:${start + MAX_NESTING}`]);
    expect(codes(analyze(family('nested parentheses').make(1_800)))).toEqual([`AE1024@1:${start + MAX_NESTING}`]);
    expect(codes(analyze(family('unclosed brackets').make(1_800)))).toContain(`AE1024@1:${start + MAX_NESTING}`);
  });

  it('`repeat 3 { repeat 5000 { ... } }` is refused at the outer repeat, not cut to 10,000 layers', () => {
    expect(codes(analyze(family('nested repeats').make(5_000)))).toEqual(['AE2022@3:13']);
    // The encoder and its mirror share the file's 10,000 layers.
    expect(codes(analyze(model('repeat 3 { repeat 1666 { dense(8) } }')))).toEqual([]);
  });

  it('names of Object.prototype are names like any other', () => {
    const base = (extra: string, loss = 'bce(x_hat, x)') =>
      `model m {\n  input x: [8] in [0, 1]\n  encoder { dense(4) }\n  latent z = identity\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = ${loss}\n${extra}}\n`;
    expect(codes(analyze(base('  train { hasOwnProperty = 5 }\n')))).toEqual(['AE4101@8:11']);
    expect(codes(analyze(base('  train { constructor = 5 }\n')))).toEqual(['AE4101@8:11']);
    expect(codes(analyze(base('  train { optimizer = toString(lr = 1) }\n')))).toEqual(['AE4105@8:23']);
    expect(codes(analyze(base('  train { data = constructor("a") }\n')))).toEqual(['AE4105@8:18']);
    expect(codes(analyze(base('', 'bce(x_hat, x, constructor = 1)')))).toEqual(['AE4003@7:24']);
    expect(codes(analyze(base('', 'bce(x_hat, x, __proto__ = 1)')))).toEqual(['AE4003@7:24']);
  });

  it('a tensor named `__proto__` keeps its name in the IR', () => {
    const text = model('dense(4) as __proto__').replace('decoder = mirror(encoder)', 'decoder { dense(8) }');
    const ir = analyze(text).irs[0]!;
    expect(Object.keys(ir.outputs.named)).toContain('__proto__');
  });

  it('an infinite number is an error where it is written or folded', () => {
    expect(codes(analyze(model('dense(4)').replace('in [0, 1]', 'in [0, 1e309]')))).toEqual(['AE2023@2:23']);
    expect(codes(analyze('let big = 1e308 * 10\n' + model('dense(big)')))).toEqual(['AE2023@1:11']);
  });

  it('did-you-mean on a 16k-character name answers at once', () => {
    const started = performance.now();
    const analysis = analyze(family('long name').make(16_000));
    expect(codes(analysis)).toEqual(['AE2001@3:19']);
    expect(analysis.diagnostics[0]!.notes).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('the deepest input the limit allows checks, compiles and formats', async () => {
    const deep = [
      `let a = ${'('.repeat(MAX_NESTING - 1)}4${')'.repeat(MAX_NESTING - 1)}`,
      `let b = ${'- '.repeat(MAX_NESTING - 1)}4`,
      `let c = ${Array.from({ length: MAX_NESTING }, () => '1').join(' + ')}`,
      `let d = ${'['.repeat(MAX_NESTING - 1)}4${']'.repeat(MAX_NESTING - 1)}`,
    ].join('\n');
    const text = `${deep}\n${model(`dense(a), dense(-b), dense(c - ${MAX_NESTING - 4})`)}`;
    const analysis = analyze(text);
    expect(codes(analysis)).toEqual([]);
    expect(analysis.irs).toHaveLength(1);
    const formatted = await formatAe(text);
    expect(formatted).not.toBe(text);
    const layers = (source: string) => analyze(source).irs[0]!.nodes.map((n) => `${n.op} ${JSON.stringify(n.shape)}`);
    expect(layers(formatted)).toEqual(layers(text));
  });

  it('a block parameter passed down 64 blocks of the longest sums is read once per level', () => {
    const terms = MAX_NESTING - 4;
    const sum = Array.from({ length: terms }, () => 'n').join(' + ');
    const blocks = Array.from({ length: 64 }, (_, i) => (i === 63 ? `block b${i}(n) { dense(n) }\n` : `block b${i}(n) { b${i + 1}(n = ${sum} - ${terms - 1} * n) }\n`)).join('');
    const analysis = analyze(blocks + model('b0(4)'));
    expect(codes(analysis)).toEqual([]);
    expect(analysis.irs[0]!.nodes.find((n) => n.op === 'dense')!.shape).toEqual([null, 4]);
  });
});
