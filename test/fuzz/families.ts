// The adversarial input families of issue 13, each a function of a size: the shapes of input that
// once crashed, hung or took superlinear time. The fuzzer mutates toward them, the benchmark
// (bench/adversarial.ts) times every command on each at 1x and 10x, and the regression tests run
// each at a size past every limit.

const model = (encoder: string, extra = ''): string =>
  `model m {\n  input x: [8] in [0, 1]\n  encoder { ${encoder} }\n  latent z = identity\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = bce(x_hat, x)${extra}\n}\n`;

export interface Family {
  name: string;
  /** The text at size `n`; `base` is the size the issue reported trouble at. */
  make(n: number): string;
  base: number;
}

export const families: readonly Family[] = [
  { name: 'self-referencing block parameter', base: 1, make: (n) => Array.from({ length: n }, (_, i) => `block b${i}(n = n) { dense(n) }\n`).join('') + model('b0()') },
  { name: 'long sum', base: 3_600, make: (n) => `let s = ${Array.from({ length: n }, () => '1').join(' + ')}\n` + model('dense(s)') },
  {
    name: 'chain of blocks',
    base: 1_100,
    make: (n) => Array.from({ length: n }, (_, i) => (i === n - 1 ? `block b${i}() { dense(4) }\n` : `block b${i}() { b${i + 1}() }\n`)).join('') + model('b0()'),
  },
  { name: 'cycle of constants', base: 3_250, make: (n) => Array.from({ length: n }, (_, i) => `let c${i} = c${(i + 1) % n} + 1\n`).join('') + model('dense(c0)') },
  { name: 'chain of constants', base: 3_250, make: (n) => Array.from({ length: n }, (_, i) => (i === n - 1 ? `let c${i} = 4\n` : `let c${i} = c${i + 1}\n`)).join('') + model('dense(c0)') },
  {
    name: 'doubling blocks',
    base: 17,
    make: (n) => `block d0() { dense(4) }\n` + Array.from({ length: n }, (_, i) => `block d${i + 1}() { d${i}() d${i}() }\n`).join('') + model(`d${n}()`),
  },
  { name: 'nested unary minus', base: 1_000, make: (n) => `let a = ${'- '.repeat(n)}1\n` + model('dense(4)') },
  { name: 'nested brackets', base: 1_800, make: (n) => `let a = ${'['.repeat(n)}1${']'.repeat(n)}\n` + model('dense(4)') },
  { name: 'nested parentheses', base: 1_800, make: (n) => `let a = ${'('.repeat(n)}1${')'.repeat(n)}\n` + model('dense(4)') },
  { name: 'unclosed brackets', base: 1_800, make: (n) => `let a = ${'['.repeat(n)}1\n` + model('dense(4)') },
  {
    name: 'nested repeats',
    base: 5_000,
    make: (n) => model(`repeat 3 { repeat ${n} { dense(8) } }`),
  },
  { name: 'many layers', base: 1_000, make: (n) => model(Array.from({ length: n }, () => 'dense(8)').join(', ')) },
  {
    name: 'tied mirror of many layers',
    base: 1_000,
    make: (n) => model(`repeat ${n} { dense(8, act = sigmoid) }`).replace('decoder = mirror(encoder)', 'decoder = mirror(encoder, tied = true)'),
  },
  { name: 'broken lines', base: 1_000, make: (n) => Array.from({ length: n }, (_, i) => `let x${i} = = ) ${i}\n`).join('') + model('dense(4)') },
  { name: 'long name', base: 1_600, make: (n) => model(`dense(${'q'.repeat(n)})`) },
  // Issue 22's: syntax errors by the thousand, a long line of them, and a repeat under a mirror.
  { name: 'broken let lines', base: 20_000, make: (n) => 'let = @\n'.repeat(n) },
  { name: 'stray characters on one line', base: 16_000, make: (n) => '@ '.repeat(n) },
  { name: 'repeat of repeat under a mirror', base: 100, make: (n) => model(`repeat ${n} { repeat 100 { dense(4) } }`) },
  { name: 'many models', base: 100, make: (n) => Array.from({ length: n }, (_, i) => model('dense(4)').replace('model m', `model m${i}`)).join('') },
];
