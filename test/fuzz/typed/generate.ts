// The second, generative fuzzer's inputs (issue 22): whole models built from LANGUAGE.md's grammar
// with the shapes tracked as they are written, so that most inputs are well typed and check clean
// (they reach the IR, the formatter's idempotence and a training step), and then bent by mutations
// that keep them close to valid: a number, a name, an activation or a member changed, a line
// dropped or doubled, a layer moved. The first fuzzer (test/fuzz/generate.ts) starts from hostile
// text; this one starts from models a user would write: flat vectors, images, sequences and tables;
// blocks with parameters, repeats, lets; mirrored (tied) and written decoders; every latent; heads,
// labels and conditions; corruption chains; loss terms with coefficients and schedules; phases.
// Comments and layout vary everywhere, for the formatter. Everything is a function of the seed.
import { mulberry32 } from '../../../runtime/random.js';
import { mutate as tokenMutate } from '../../format/mutate.js';

export interface TypedInput {
  seed: number;
  /** `typed`, or `typed+number+drop-line`: the generator, then each mutation applied. */
  origin: string;
  text: string;
}

type Random = () => number;
/** A tensor's shape between layers: a vector, an image `[h, w, c]` or a sequence `[t, c]`. */
type Shape = { kind: 'flat'; n: number } | { kind: 'image'; h: number; w: number; c: number } | { kind: 'seq'; t: number; c: number };

const activations = ['relu', 'tanh', 'sigmoid', 'elu', 'gelu', 'softplus', 'linear', 'leaky_relu(0.2)'];
const comments = ['// a note', '/* why */', '// TODO: wider', '/* two\n     lines */'];

class Writer {
  private names = 0;
  constructor(readonly random: Random) {}

  int(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  fresh(prefix: string): string {
    return `${prefix}${this.names++}`;
  }
  /** An optional trailing comment, for the formatter's comment attachment. */
  note(): string {
    return this.chance(0.12) ? ` ${this.pick(comments)}` : '';
  }
  act(): string {
    return this.pick(activations);
  }
  /** `n` written plainly, or through a let (`c0 * 2`) when one divides it. */
  size(n: number, lets: ReadonlyMap<string, number>): string {
    if (this.chance(0.25)) {
      for (const [name, value] of lets) {
        if (value === n) return name;
        if (value > 0 && n % value === 0 && n / value > 1 && this.chance(0.5)) return `${name} * ${n / value}`;
        if (n > value && this.chance(0.3)) return `${name} + ${n - value}`;
      }
    }
    return String(n);
  }
}

/** A layer list and the shape it ends on. */
interface Stack {
  layers: string[];
  shape: Shape;
  /** Names given with `as`, and whether each is bounded in (0, 1) (for kl_sparsity). */
  named: { name: string; sigmoid: boolean; flat: boolean }[];
  /** Only dense and conv layers (without a block or repeat): a tied mirror's precondition. */
  tieable: boolean;
  /** Every layer a greedy schedule can pretrain (dense layers of a flat input only). */
  greedy: boolean;
}

class ModelWriter {
  readonly lets = new Map<string, number>();
  readonly blocks: { name: string; fallback?: number }[] = [];
  readonly lines: string[] = [];
  constructor(private readonly w: Writer) {}

  /** A let or two, used later as sizes; sometimes an expression that evaluates to the value. */
  constants(): void {
    for (let i = this.w.int(0, 2); i > 0; i--) {
      const name = this.w.fresh('c');
      const value = this.w.int(2, 8);
      const text = this.w.chance(0.3) ? `${value - 1} + 1` : this.w.chance(0.2) ? `(${value * 2}) / 2` : String(value);
      this.lines.push(`let ${name} = ${text}${this.w.note()}`);
      this.lets.set(name, value);
    }
  }

  /** A block of flat layers with a width parameter (sometimes defaulted), called as `b(n)`. */
  block(): void {
    const name = this.w.fresh('b');
    const fallback = this.w.chance(0.3) ? this.w.int(2, 8) : undefined;
    const body = [`dense(n, act = ${this.w.act()})`];
    if (this.w.chance(0.4)) body.push(this.w.pick(['dropout(0.1)', 'layernorm', 'batchnorm', 'relu']));
    const multiline = this.w.chance(0.5);
    const parameter = `n${fallback === undefined ? '' : ` = ${fallback}`}`;
    this.lines.push(multiline ? `block ${name}(${parameter}) {\n  ${body.join('\n  ')}\n}` : `block ${name}(${parameter}) { ${body.join(', ')} }`);
    this.blocks.push({ name, ...(fallback === undefined ? {} : { fallback }) });
  }

  /** One layer valid on `shape`, appended to `stack`. */
  layer(stack: Stack, depth: number): void {
    const w = this.w;
    const shape = stack.shape;
    const name = (sigmoid: boolean, flat: boolean): string => {
      if (!w.chance(0.12)) return '';
      const n = w.fresh('h');
      stack.named.push({ name: n, sigmoid, flat });
      return ` as ${n}`;
    };
    if (shape.kind === 'flat') {
      const roll = w.random();
      if (roll < 0.45 || shape.n > 64) {
        const units = w.int(2, 12);
        const act = w.act();
        const named = name(act === 'sigmoid', true);
        stack.layers.push(`dense(${w.size(units, this.lets)}${w.chance(0.8) ? `, act = ${act}` : ''}${w.chance(0.05) ? ', bias = false' : ''})${named}`);
        stack.shape = { kind: 'flat', n: units };
        return;
      }
      stack.tieable = false;
      if (roll < 0.55 && this.blocks.length > 0) {
        const block = w.pick(this.blocks);
        const bare = block.fallback !== undefined && w.chance(0.3);
        const units = bare ? block.fallback! : w.int(2, 10);
        stack.layers.push(bare ? `${block.name}()` : `${block.name}(${w.size(units, this.lets)})`);
        stack.greedy = false;
        stack.shape = { kind: 'flat', n: units };
        return;
      }
      if (roll < 0.62 && depth < 2) {
        const units = w.int(2, 8);
        stack.layers.push(`repeat ${w.size(w.int(1, 3), this.lets)} { dense(${units}, act = ${w.act()}) }`);
        stack.greedy = false;
        stack.shape = { kind: 'flat', n: units };
        return;
      }
      stack.greedy = false;
      stack.layers.push(w.pick([`dropout(${w.pick(['0.1', '0.25', '0.5'])})`, 'batchnorm', 'layernorm', w.act(), 'batchnorm(momentum = 0.9)']));
      return;
    }
    stack.greedy = false;
    if (shape.kind === 'image') {
      const roll = w.random();
      if (roll < 0.4) {
        const c = w.int(1, 6);
        const stride = shape.h % 2 === 0 && shape.w % 2 === 0 && w.chance(0.3) ? 2 : 1;
        stack.layers.push(`conv2d(${w.size(c, this.lets)}, kernel = ${w.pick([1, 3])}${stride === 2 ? ', stride = 2' : ''}, padding = same, act = ${w.act()})${name(false, false)}`);
        stack.shape = { kind: 'image', h: shape.h / stride, w: shape.w / stride, c };
      } else if (roll < 0.6 && shape.h % 2 === 0 && shape.w % 2 === 0 && shape.h > 2) {
        stack.tieable = false;
        stack.layers.push(w.pick(['maxpool(2)', 'avgpool(2)', 'maxpool(pool = 2)']));
        stack.shape = { ...shape, h: shape.h / 2, w: shape.w / 2 };
      } else if (roll < 0.7 && shape.h <= 8) {
        stack.tieable = false;
        stack.layers.push('upsample(2)');
        stack.shape = { ...shape, h: shape.h * 2, w: shape.w * 2 };
      } else if (roll < 0.8) {
        stack.tieable = false;
        stack.layers.push(w.pick(['batchnorm', 'dropout(0.1)', w.act()]));
      } else {
        stack.tieable = false;
        stack.layers.push('flatten');
        stack.shape = { kind: 'flat', n: shape.h * shape.w * shape.c };
      }
      return;
    }
    const roll = w.random();
    stack.tieable = false;
    if (roll < 0.3) {
      const c = w.int(1, 6);
      stack.layers.push(`conv1d(${w.size(c, this.lets)}, kernel = ${w.pick([1, 3, 5])}, padding = same, act = ${w.act()})`);
      stack.shape = { kind: 'seq', t: shape.t, c };
    } else if (roll < 0.45) {
      const units = w.int(2, 6);
      const sequences = w.chance(0.4);
      stack.layers.push(`${w.pick(['lstm', 'gru'])}(${units}${sequences ? ', sequences = true' : ''})`);
      stack.shape = sequences ? { kind: 'seq', t: shape.t, c: units } : { kind: 'flat', n: units };
    } else if (roll < 0.6 && shape.t % 2 === 0 && shape.t > 2) {
      stack.layers.push(w.pick(['maxpool(2)', 'avgpool(2)']));
      stack.shape = { ...shape, t: shape.t / 2 };
    } else if (roll < 0.75) {
      const c = w.int(1, 6);
      stack.layers.push(`dense(${c}, per_step = true${w.chance(0.5) ? `, act = ${w.act()}` : ''})`);
      stack.shape = { kind: 'seq', t: shape.t, c };
    } else if (roll < 0.85) {
      stack.layers.push(w.pick(['layernorm', 'dropout(0.2)', w.act()]));
    } else {
      stack.layers.push('flatten');
      stack.shape = { kind: 'flat', n: shape.t * shape.c };
    }
  }

  stack(from: Shape, count: number): Stack {
    const stack: Stack = { layers: [], shape: from, named: [], tieable: true, greedy: from.kind === 'flat' };
    for (let i = 0; i < count; i++) this.layer(stack, 0);
    return stack;
  }

  /** Layers from a flat code back to `target` (the input's shape). */
  decoderTo(target: Shape): string[] {
    const w = this.w;
    const hidden = w.chance(0.6) ? [`dense(${w.int(2, 12)}, act = ${w.act()})`] : [];
    if (target.kind === 'flat') return [...hidden, `dense(${w.size(target.n, this.lets)})`];
    if (target.kind === 'image') {
      if (target.h % 2 === 0 && target.w % 2 === 0 && w.chance(0.5)) {
        const k = w.int(1, 4);
        const up = w.chance(0.5) ? ['upsample(2)', `conv2d(${target.c}, kernel = 3, padding = same)`] : [`deconv2d(${target.c}, kernel = ${w.pick([2, 4])}, stride = 2, padding = same)`];
        return [...hidden, `dense(${(target.h / 2) * (target.w / 2) * k}, act = ${w.act()})`, `reshape([${target.h / 2}, ${target.w / 2}, ${k}])`, ...up];
      }
      return [...hidden, `dense(${target.h * target.w * target.c})`, `reshape([${target.h}, ${target.w}, ${w.chance(0.3) ? -1 : target.c}])`];
    }
    if (w.chance(0.5)) return [`repeat_vector(${w.size(target.t, this.lets)})`, `${w.pick(['lstm', 'gru'])}(${w.int(2, 6)}, sequences = true)`, `dense(${target.c}, per_step = true)`];
    return [...hidden, `dense(${target.t * target.c})`, `reshape([${target.t}, ${target.c}])`];
  }

  /** Layers in braces, on one line with commas or one a line (with comments). */
  braces(layers: readonly string[], indent: string): string {
    if (layers.length === 0) return '{ }';
    if (this.w.chance(0.5)) return `{ ${layers.join(this.w.pick([', ', ' , ', ','])) } }`;
    return `{\n${layers.map((l) => `${indent}  ${l}${this.w.note()}`).join('\n')}\n${indent}}`;
  }

  model(): void {
    const w = this.w;
    const name = w.fresh('m');
    const members: string[] = [];
    const member = (text: string): void => {
      members.push(`  ${text}${w.note()}`);
    };
    const kind = w.pick(['flat', 'flat', 'flat', 'image', 'seq', 'table']);
    const input = kind === 'image' ? { kind: 'image' as const, h: w.pick([4, 6, 8]), w: w.pick([4, 6, 8]), c: w.int(1, 3) } : kind === 'seq' ? { kind: 'seq' as const, t: w.pick([4, 6, 8]), c: w.int(1, 3) } : { kind: 'flat' as const, n: w.int(2, 16) };
    const bounded = kind !== 'table' && kind !== 'seq' ? w.chance(0.7) : w.chance(0.2);
    // A table's encoded width: one per numeric column, one per level of a categorical one.
    let tableWidth = 0;
    if (kind === 'table') {
      const columns = [1, 1, w.int(2, 6), w.int(2, 4)].map((levels, i) => ({ levels, text: ['amount', 'hour', `merchant: category(${levels})`, `country: category(${levels})`][i]! })).filter(() => w.chance(0.7));
      if (columns.length === 0) columns.push({ levels: 1, text: 'amount' });
      tableWidth = columns.reduce((n, c) => n + c.levels, 0);
      member(`input x: table(${columns.map((c) => c.text).join(', ')})`);
    } else {
      const dims = input.kind === 'image' ? [input.h, input.w, input.c] : input.kind === 'seq' ? [input.t, input.c] : [input.n];
      member(`input x: [${dims.map((d) => w.size(d, this.lets)).join(', ')}]${bounded ? ' in [0, 1]' : w.chance(0.2) ? ' in [-1, 1]' : ''}`);
    }
    const classes = w.int(2, 5);
    const labelled = w.chance(0.25);
    if (labelled) member(`input y: label(${classes})`);
    if (kind !== 'table' && w.chance(0.25)) {
      const first = w.pick(['gaussian(std = 0.1)', 'mask(p = 0.3)', 'salt_pepper(p = 0.1)', 'dropout(0.2)', 'gaussian(0.5)']);
      member(`corrupt x with ${first}${w.chance(0.4) ? ' then clip(0, 1)' : ''}`);
    }

    // The encoder; a conditional model reads the label too (a flat input only).
    const conditional = labelled && kind === 'flat' && w.chance(0.3);
    const encoderFrom: Shape = kind === 'table' ? { kind: 'flat', n: tableWidth } : input;
    const encoder = this.stack(encoderFrom, w.int(kind === 'flat' || kind === 'table' ? 0 : 1, 3));
    if (encoder.shape.kind !== 'flat' && w.chance(0.7)) {
      encoder.layers.push('flatten');
      encoder.tieable = false;
      encoder.shape = { kind: 'flat', n: encoder.shape.kind === 'image' ? encoder.shape.h * encoder.shape.w * encoder.shape.c : encoder.shape.t * encoder.shape.c };
    }
    member(`encoder${conditional ? ' on x, y' : ''} ${this.braces(encoder.layers, '  ')}`);

    // The latent: a flat code of some kind, or identity (any shape, as in conv AEs).
    const code = encoder.shape;
    let latentKind = code.kind === 'flat' ? w.pick(['dense', 'dense', 'gaussian', 'binary', 'onehot', 'vq', 'identity']) : 'identity';
    if (latentKind === 'identity' && encoder.layers.length === 0) latentKind = 'dense';
    const width = w.int(2, 8);
    // vq quantises the code's last dimension: its dim is the encoder's width.
    if (latentKind === 'vq' && (code.kind !== 'flat' || code.n > 16)) latentKind = 'dense';
    const dim = code.kind === 'flat' ? code.n : 1;
    const latent: Record<string, string> = {
      dense: `dense(${w.size(width, this.lets)}${w.chance(0.5) ? `, act = ${w.pick(['tanh', 'linear', 'sigmoid'])}` : ''})`,
      gaussian: `gaussian(${w.size(width, this.lets)})`,
      binary: `binary(${width}${w.chance(0.3) ? ', stochastic = true' : ''})`,
      onehot: `onehot(${Math.max(2, width)}${w.chance(0.5) ? `, temperature = ${w.pick(['0.5', '1', '0.67'])}` : ''}${w.chance(0.3) ? ', hard = true' : ''})`,
      vq: `vq(codes = ${w.int(2, 8)}, dim = ${dim}${w.chance(0.3) ? ', commitment = 0.25' : ''})`,
      identity: 'identity',
    };
    member(`latent z = ${latent[latentKind]}`);
    const codeShape: Shape = latentKind === 'identity' || latentKind === 'vq' ? code : { kind: 'flat', n: width };

    // The decoder: a mirror (tied where every layer can be), or layers written back to the input.
    const mirror = w.chance(0.45) && latentKind !== 'vq';
    const decoderOn = conditional && w.chance(0.6) ? ' on z, y' : '';
    if (mirror) {
      const tied = encoder.tieable && encoder.layers.length > 0 && w.chance(0.4);
      member(`decoder${decoderOn} = mirror(encoder${tied ? ', tied = true' : ''})`);
    } else if (kind === 'table') {
      member(`decoder ${this.braces([`dense(${w.int(2, 12)}, act = ${w.act()})`, `dense(${tableWidth})`], '  ')}`);
    } else if (codeShape.kind === 'flat') {
      member(`decoder${decoderOn} ${this.braces(this.decoderTo(input), '  ')}`);
    } else {
      // An identity latent on an image or sequence: flatten, then as from a flat code.
      member(`decoder${decoderOn} ${this.braces(['flatten', ...this.decoderTo(input)], '  ')}`);
    }
    const outputAct = kind === 'table' ? 'table' : bounded && w.chance(0.7) ? 'sigmoid' : w.pick(['linear', 'tanh', 'sigmoid']);
    member(`output x_hat = ${outputAct}`);

    // Heads: a classifier on the code when there is a label, sometimes a regressor on x_hat.
    const heads: string[] = [];
    if (labelled && w.chance(0.7)) {
      const head = w.fresh('head');
      member(`head ${head} on ${w.pick(['z', 'z', 'x'])} { ${w.chance(0.5) ? `dense(${w.int(2, 8)}, act = relu), ` : ''}dense(${classes}${w.chance(0.5) ? ', act = softmax' : ''}) }`);
      heads.push(head);
    }

    // The loss: a reconstruction, then terms the latent and the names allow, with coefficients.
    const terms: string[] = [];
    if (kind === 'table') terms.push('reconstruction(x_hat, x)');
    else terms.push(bounded && outputAct === 'sigmoid' && w.chance(0.6) ? `bce(x_hat, x${w.chance(0.3) ? ', reduce = sum' : ''})` : `mse(x_hat, x${w.chance(0.2) ? ', reduce = sum' : ''})`);
    const coefficient = (): string => w.pick(['', '0.1 * ', '1e-3 * ', '3 * ', 'ramp(0, 1, epochs = 2) * ', 'cyclic(0, 0.5, period = 4, ramp = 0.5) * ', '(1 / 2) * ']);
    if (latentKind === 'gaussian' && w.chance(0.85)) terms.push(`${coefficient()}kl(z${w.chance(0.2) ? ', reduce = sum' : ''})`);
    if (latentKind === 'vq') terms.push('vq_loss(z)');
    if (latentKind === 'onehot' && w.chance(0.5)) terms.push(`${coefficient()}usage_kl(z${w.chance(0.2) ? ', reduce = mean' : ''})`);
    if (w.chance(0.2)) terms.push(`${coefficient()}${w.pick(['l1', 'l2'])}(z)`);
    const sigmoidNamed = encoder.named.filter((n) => n.sigmoid && n.flat);
    if (sigmoidNamed.length > 0 && w.chance(0.6)) terms.push(`${coefficient()}kl_sparsity(${w.pick(sigmoidNamed).name}, rho = ${w.pick(['0.05', '0.1'])})`);
    if (kind === 'flat' && latentKind === 'dense' && !conditional && w.chance(0.15)) terms.push(`${coefficient()}contractive(z, x)`);
    if (w.chance(0.1)) terms.push(`1e-4 * weight_decay()`);
    if (heads.length > 0 && w.chance(0.8)) terms.push(`${coefficient()}cross_entropy(${heads[0]}, y)`);
    member(`loss = ${terms.join(w.chance(0.85) ? ' + ' : '\n    + ')}`);

    // Training phases: settings in any order; greedy pretraining where every layer is dense.
    const greedy = encoder.greedy && encoder.layers.length > 0 && !conditional && latentKind === 'dense' && mirror && w.chance(0.3);
    if (greedy || w.chance(0.5)) {
      const phases = greedy || w.chance(0.25) ? 2 : 1;
      for (let p = 0; p < phases; p++) {
        const settings = [`epochs = ${w.int(1, 3)}`];
        if (w.chance(0.4)) settings.push(`optimizer = ${w.pick(['adam', 'sgd', 'rmsprop'])}(lr = ${w.pick(['1e-3', '0.01', '0.1'])}${w.chance(0.2) ? ', weight_decay = 1e-5' : ''})`);
        if (w.chance(0.3)) settings.push(`batch = ${w.int(1, 64)}`);
        if (w.chance(0.2)) settings.push(`seed = ${w.int(0, 9)}`);
        if (w.chance(0.15)) settings.push(`early_stop = ${w.int(1, 3)}`);
        if (p === 0 && greedy) settings.push(`schedule = greedy(epochs = ${w.int(1, 2)})`);
        if (p === 1 && w.chance(0.5)) settings.push(w.pick(['freeze = [encoder]', 'freeze = [encoder, latent]']));
        if (p === 1 && heads.length > 0 && w.chance(0.5)) settings.push(`loss = cross_entropy(${heads[0]}, y)`);
        const phase = phases === 2 ? ` ${w.fresh('phase')}` : '';
        member(w.chance(0.5) ? `train${phase} { ${settings.join(', ')} }` : `train${phase} {\n    ${settings.join('\n    ')}\n  }`);
      }
    }
    const blank = w.chance(0.2) ? '\n' : '';
    this.lines.push(`${w.chance(0.2) ? `// ${name}: generated\n` : ''}model ${name} {\n${members.join(`\n${blank}`)}\n}`);
  }
}

/** A program: lets, blocks, one model (sometimes two). */
export function typedProgram(random: Random): string {
  const w = new Writer(random);
  const m = new ModelWriter(w);
  m.constants();
  for (let i = w.int(0, 2); i > 0; i--) m.block();
  m.model();
  if (w.chance(0.1)) m.model();
  return `${m.lines.join(w.chance(0.5) ? '\n\n' : '\n')}\n`;
}

// Mutations that stay near the language: each edits one thing a user could get wrong.
type Mutation = (text: string, w: Writer) => string;

const replaceOne = (text: string, pattern: RegExp, w: Writer, by: (match: string) => string): string => {
  const matches = [...text.matchAll(pattern)];
  if (matches.length === 0) return text;
  const match = w.pick(matches);
  return text.slice(0, match.index) + by(match[0]) + text.slice(match.index + match[0].length);
};

const mutations: Record<string, Mutation> = {
  // A size, rate or count changed to another valid-looking (or not) number.
  number: (text, w) => replaceOne(text, /\b\d+(\.\d+)?(e-?\d+)?\b/g, w, () => w.pick(['0', '1', '3', '7', '64', '0.5', '2.5', '-1', '1e-3', '100000', '1e400'])),
  // A name replaced by another name of the program, or a misspelling.
  name: (text, w) => {
    const names = [...new Set(text.match(/\b[a-z_][a-z0-9_]*\b/g) ?? [])];
    return names.length === 0 ? text : replaceOne(text, /\b[a-z_][a-z0-9_]*\b/g, w, (n) => (w.chance(0.5) ? w.pick(names) : `${n}${w.pick(['s', '_', '2'])}`));
  },
  // An activation, layer or latent kind swapped for another.
  kind: (text, w) =>
    replaceOne(text, /\b(dense|conv2d|deconv2d|conv1d|lstm|gru|maxpool|avgpool|upsample|flatten|gaussian|binary|onehot|vq|identity|relu|tanh|sigmoid|linear|mse|bce|kl|l1|l2|mirror)\b/g, w, () =>
      w.pick(['dense', 'conv2d', 'deconv1d', 'lstm', 'maxpool', 'unpool', 'flatten', 'reshape', 'repeat_vector', 'gaussian', 'vq', 'onehot', 'identity', 'softmax', 'mse', 'kl', 'vq_loss', 'contractive', 'table']),
    ),
  // A whole line dropped, doubled, or moved.
  'drop-line': (text, w) => {
    const lines = text.split('\n');
    lines.splice(w.int(0, lines.length - 1), 1);
    return lines.join('\n');
  },
  'double-line': (text, w) => {
    const lines = text.split('\n');
    const at = w.int(0, lines.length - 1);
    lines.splice(at, 0, lines[at]!);
    return lines.join('\n');
  },
  'move-line': (text, w) => {
    const lines = text.split('\n');
    const [line] = lines.splice(w.int(0, lines.length - 1), 1);
    lines.splice(w.int(0, lines.length), 0, line!);
    return lines.join('\n');
  },
  // A named argument removed, added, or given to the wrong call.
  argument: (text, w) =>
    w.chance(0.5)
      ? replaceOne(text, /, [a-z_]+ = [^,)]+/g, w, () => '')
      : replaceOne(text, /\)/g, w, () => `, ${w.pick(['act = relu', 'tied = true', 'reduce = sum', 'rho = 0.1', 'stride = 2', 'sequences = true', 'p = 2', 'temperature = 0', 'per_step = true', 'hard = true'])})`),
  // Layout and comments only (the formatter's concern): these always keep the meaning.
  layout: (text, w) => tokenMutate(text, w.int(0, 1 << 30), w.int(1, 4), ['space', 'comment', 'comma']),
  // Tokens swapped or dropped.
  tokens: (text, w) => tokenMutate(text, w.int(0, 1 << 30), w.int(1, 2)),
};
const mutationNames = Object.keys(mutations);

/** Input `seed`: a typed program, unmutated about half the time, else with one to three mutations. */
export function typedInput(seed: number): TypedInput {
  const random = mulberry32(seed);
  const w = new Writer(random);
  let text = typedProgram(random);
  const origin = ['typed'];
  const count = w.chance(0.5) ? 0 : w.chance(0.7) ? 1 : w.int(2, 3);
  for (let i = 0; i < count; i++) {
    const name = w.pick(mutationNames);
    text = mutations[name]!(text, w);
    origin.push(name);
  }
  return { seed, origin: origin.join('+'), text };
}
