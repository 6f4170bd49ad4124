// Fuzz inputs: programs generated from the grammar (LANGUAGE.md section 3) and the op signatures,
// so that most are well formed and many check clean (and reach IR and training), then bent by the
// mutation families of issue 13: token edits, names of Object.prototype, numbers past float range,
// nesting across the limit, repeats that multiply, imports that escape, and the adversarial
// families at random sizes. Everything is a function of a seed: a failure replays from its seed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { activationNames } from '../../compiler/shapes/activations.js';
import { layerOp } from '../../compiler/shapes/layers.js';
import type { ArgSpec } from '../../compiler/shapes/signature.js';
import { MAX_NESTING } from '../../grammar/nesting.js';
import { mulberry32 } from '../../runtime/random.js';
import { mutate as tokenMutate } from '../format/mutate.js';
import { families } from './families.js';

export interface FuzzInput {
  seed: number;
  /** How the input was made, for the report: `generated`, `generated+proto`, `spec+tokens`, ... */
  origin: string;
  text: string;
}

type Random = () => number;

const prototypeNames = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
const hugeNumbers = ['1e309', '-1e309', '1e308 * 10', '0', '-0', '1e-320', '0.5', '4294967296', '1e15', '-3'];
const flatLayers = ['dense', 'dropout', 'batchnorm', 'layernorm', 'noise'];
const imagePaths = ['lib.ae', '../lib.ae', '/etc/passwd', '../../../../etc/passwd.ae', 'sub/x.ae', '.', '', 'main.ae'];

class Generator {
  private names = 0;
  constructor(private readonly random: Random) {}

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

  /** A constant expression over numbers and the names given. */
  expression(names: readonly string[], depth = 0): string {
    const roll = this.random();
    if (depth > 3 || roll < 0.35) return String(this.int(1, 16));
    if (roll < 0.5 && names.length > 0) return this.pick(names);
    if (roll < 0.6) return `(${this.expression(names, depth + 1)})`;
    if (roll < 0.65) return `-${this.expression(names, depth + 1)}`;
    if (roll < 0.7) return `[${this.expression(names, depth + 1)}, ${this.expression(names, depth + 1)}]`;
    return `${this.expression(names, depth + 1)} ${this.pick(['+', '-', '*', '/'])} ${this.expression(names, depth + 1)}`;
  }

  /** A value for one argument of an op signature (sometimes of the wrong type). */
  argument(spec: ArgSpec, names: readonly string[]): string {
    if (this.chance(0.05)) return this.expression(names);
    switch (spec.type.kind) {
      case 'int':
        return this.chance(0.2) && names.length > 0 ? this.pick(names) : String(this.int(1, 32));
      case 'number':
        return this.pick(['0.1', '0.5', '0', '1', '0.25']);
      case 'bool':
        return this.pick(['true', 'false']);
      case 'enum':
        return this.pick(spec.type.values);
      case 'activation':
        return this.chance(0.1) ? 'leaky_relu(0.2)' : this.pick(activationNames);
      case 'pair':
        return this.chance(0.5) ? '2' : '[2, 2]';
      case 'dims':
        return `[${this.int(1, 8)}, -1]`;
      default:
        return '1';
    }
  }

  /** A layer call from the op's signature: required arguments positional, some options named. */
  layerCall(op: string, names: readonly string[]): string {
    const signature = layerOp(op)?.signature;
    if (!signature || signature.args.length === 0) return op;
    const parts: string[] = [];
    for (const spec of signature.args) {
      const required = spec.default === undefined;
      if (required) parts.push(this.argument(spec, names));
      else if (this.chance(0.3)) parts.push(`${spec.name} = ${this.argument(spec, names)}`);
    }
    return parts.length === 0 && this.chance(0.5) ? op : `${op}(${parts.join(', ')})`;
  }

  layers(image: boolean, names: readonly string[], blocks: readonly string[], depth = 0): string[] {
    const out: string[] = [];
    const count = this.int(1, 3);
    for (let i = 0; i < count; i++) {
      const roll = this.random();
      if (roll < 0.1 && depth < 2) out.push(`repeat ${this.int(1, 3)} { ${this.layers(image, names, blocks, depth + 1).join(', ')} }`);
      else if (roll < 0.25 && blocks.length > 0) out.push(`${this.pick(blocks)}(${this.int(1, 16)})`);
      else if (image && roll < 0.6) out.push(this.layerCall(this.pick(['conv2d', 'maxpool', 'deconv2d', 'upsample', 'batchnorm']), names));
      else out.push(this.layerCall(this.pick(image ? ['flatten', ...flatLayers] : flatLayers), names));
    }
    if (this.chance(0.15)) out[out.length - 1] += ` as ${this.fresh('h')}`;
    return out;
  }

  program(): string {
    const lines: string[] = [];
    const lets: string[] = [];
    for (let i = this.int(0, 2); i > 0; i--) {
      const name = this.fresh('c');
      lines.push(`let ${name} = ${this.expression(lets)}`);
      lets.push(name);
    }
    const image = this.chance(0.3);
    const blocks: string[] = [];
    for (let i = this.int(0, 2); i > 0; i--) {
      const name = this.fresh('b');
      lines.push(`block ${name}(n${this.chance(0.3) ? ` = ${this.int(1, 8)}` : ''}) { ${this.layers(image, [...lets, 'n'], blocks).join('\n  ')} }`);
      blocks.push(name);
    }
    const size = this.int(2, 12);
    const input = image ? `[${size * 2}, ${size * 2}, ${this.int(1, 3)}]` : `[${size}]`;
    const members = [`  input x: ${input}${this.chance(0.8) ? ' in [0, 1]' : ''}`];
    if (this.chance(0.15)) members.push(`  corrupt x with ${this.pick(['gaussian(0.1)', 'dropout(0.2)', 'mask(0.3)', 'saltpepper(0.1)'])}`);
    if (this.chance(0.1)) members.push(`  input y: label(${this.int(2, 10)})`);
    members.push(`  encoder { ${this.layers(image, lets, blocks).join(', ')}${image ? ', flatten' : ''} }`);
    members.push(`  latent z = ${this.pick(['identity', `dense(${this.int(1, 8)})`, `gaussian(${this.int(1, 8)})`, `binary(${this.int(1, 8)})`, `vq(${this.int(2, 8)}, ${this.int(1, 4)})`])}`);
    members.push(this.chance(0.5) ? '  decoder = mirror(encoder)' : `  decoder { ${this.layers(false, lets, []).join(', ')}, dense(${image ? size * size * 4 : size})${image ? `, reshape([${size * 2}, ${size * 2}, -1])` : ''} }`);
    members.push(`  output x_hat = ${this.pick(['sigmoid', 'linear', 'tanh'])}`);
    const terms = [this.pick(['mse(x_hat, x)', 'bce(x_hat, x)'])];
    if (this.chance(0.3)) terms.push(`${this.pick(['0.1', '1e-3'])} * ${this.pick(['l1(z)', 'l2(z)', 'kl(z)', 'vq_loss(z)', 'kl_sparsity(z, rho = 0.05)', 'contractive(z, x)'])}`);
    members.push(`  loss = ${terms.join(' + ')}`);
    if (this.chance(0.3)) {
      const settings = [`epochs = ${this.int(1, 3)}`];
      if (this.chance(0.5)) settings.push(`optimizer = ${this.pick(['adam', 'sgd', 'rmsprop'])}(lr = ${this.pick(['1e-3', '0.01'])})`);
      if (this.chance(0.3)) settings.push(`batch = ${this.int(1, 64)}`);
      members.push(`  train { ${settings.join(', ')} }`);
    }
    lines.push(`model ${this.fresh('m')} {\n${members.join('\n')}\n}`);
    return `${lines.join('\n')}\n`;
  }
}

/** The corpus the token mutator starts from: the valid specs and the examples. */
export function seedTexts(root: string): string[] {
  const texts: string[] = [];
  for (const folder of ['specs/valid', 'examples']) {
    for (const name of readdirSync(join(root, folder)).sort()) {
      if (name.endsWith('.ae')) texts.push(readFileSync(join(root, folder, name), 'utf8'));
    }
  }
  return texts.filter((text) => text.length <= 4_000);
}

const identifier = /\b[a-z_][a-z0-9_]*\b/gi;
const number = /\b\d+(\.\d+)?(e[+-]?\d+)?\b/gi;

/** Replaces the `which`-th match of `pattern` in `text` (counted modulo the matches). */
function replaceMatch(text: string, pattern: RegExp, which: number, by: (match: string) => string): string {
  const matches = [...text.matchAll(pattern)];
  if (matches.length === 0) return text;
  const match = matches[which % matches.length]!;
  return text.slice(0, match.index) + by(match[0]) + text.slice(match.index! + match[0].length);
}

/** One input from `seed`: a family's member at a random size, or a generated or seed program with
 *  zero or more mutations. */
export function fuzzInput(seed: number, corpus: readonly string[]): FuzzInput {
  const random = mulberry32(seed);
  const g = new Generator(random);
  if (g.chance(0.04)) {
    const family = g.pick(families);
    const n = Math.max(1, Math.floor(family.base * (0.02 + random() * 0.3)));
    return { seed, origin: `family:${family.name}`, text: family.make(n) };
  }
  const fromCorpus = corpus.length > 0 && g.chance(0.25);
  let text = fromCorpus ? g.pick(corpus) : g.program();
  const origin = [fromCorpus ? 'spec' : 'generated'];
  const mutations = g.chance(0.45) ? 0 : g.int(1, 3);
  for (let i = 0; i < mutations; i++) {
    const roll = random();
    const which = g.int(0, 1 << 20);
    if (roll < 0.35) {
      text = tokenMutate(text, g.int(0, 1 << 30), g.int(1, 3));
      origin.push('tokens');
    } else if (roll < 0.5) {
      text = replaceMatch(text, identifier, which, () => g.pick(prototypeNames));
      origin.push('proto');
    } else if (roll < 0.6) {
      text = replaceMatch(text, number, which, () => g.pick(hugeNumbers));
      origin.push('number');
    } else if (roll < 0.7) {
      const depth = MAX_NESTING - 3 + g.int(0, 6);
      const [open, close] = g.pick([['(', ')'], ['[', ']'], ['- ', ''], ['1 + ', '']]);
      text = replaceMatch(text, number, which, (n) => `${open!.repeat(depth)}${n}${close!.repeat(g.chance(0.9) ? depth : g.int(0, depth))}`);
      origin.push('nesting');
    } else if (roll < 0.8) {
      text = text.replace(/encoder \{/, () => `encoder { repeat ${g.pick(['2', '100', '5000', '10000', '0', '1e9'])} { repeat ${g.pick(['3', '101', '2000'])} {`).replace(/(encoder \{[^}]*\})/, '$1 } }');
      origin.push('repeat');
    } else if (roll < 0.9) {
      text = `import "${g.pick(imagePaths)}"${g.chance(0.5) ? ` as ${g.pick(['lib', 'constructor', '__proto__'])}` : ''}\n${text}`;
      origin.push('import');
    } else {
      const at = g.int(0, text.length);
      text = text.slice(0, at) + g.pick(['{', '}', '(', ')', '[', ']', ',', '=', '"', '/*', '\r', '\u0000', '😀', 'é']) + text.slice(at);
      origin.push('char');
    }
  }
  return { seed, origin: origin.join('+'), text };
}
