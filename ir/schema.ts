// Builds ir/ir.schema.json (draft-07) from the declarations in ir/ops.ts and ir/types.ts. The
// schema file is generated (`npm run gen:schema`) and committed; test/ir/schema-fresh.test.ts fails
// when it is stale. Every object is closed (additionalProperties: false).
import { activationNames } from './activation.js';
import type { AttrType, Fields } from './attributes.js';
import { irDataSources, irOps, irOptimizers, irTerms, type InputDeclaration, type OutputDeclaration } from './ops.js';
import { initializers, IR_VERSION, modelParts, parameterRoles } from './types.js';

type Schema = { [key: string]: unknown };

const ref = (name: string): Schema => ({ $ref: `#/definitions/${name}` });

function closed(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, additionalProperties: false, ...(required.length > 0 ? { required } : {}) };
}

/** Each attribute type's schema, keyed by its kind. */
const typeSchemas: { [K in AttrType['kind']]: (type: Extract<AttrType, { kind: K }>) => Schema } = {
  int: (type) => ({ type: 'integer', ...(type.min !== undefined ? { minimum: type.min } : {}) }),
  number: (type) => {
    const bounds: Schema = {};
    if (type.min !== undefined) bounds.minimum = type.min;
    if (type.exclusiveMin !== undefined) bounds.exclusiveMinimum = type.exclusiveMin;
    if (type.exclusiveMax !== undefined) bounds.exclusiveMaximum = type.exclusiveMax;
    return { type: 'number', ...bounds };
  },
  bool: () => ({ type: 'boolean' }),
  string: () => ({ type: 'string' }),
  // a reference ir/graph.ts resolves (an input, a node, or `<node id>:<output>`)
  tensor: () => ({ type: 'string' }),
  enum: (type) => ({ enum: [...type.values] }),
  pair: () => ({ type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 2, maxItems: 2 }),
  sizes: () => ({ type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1 }),
  activation: () => ref('activation'),
};

function typeSchema<K extends AttrType['kind']>(type: Extract<AttrType, { kind: K }>): Schema {
  return (typeSchemas[type.kind as K] as (type: Extract<AttrType, { kind: K }>) => Schema)(type);
}

function fieldsSchema(fields: Fields, head: Record<string, Schema> = {}, headRequired: string[] = []): Schema {
  const properties: Record<string, Schema> = { ...head };
  const required = [...headRequired];
  for (const [name, field] of Object.entries(fields)) {
    properties[name] = { ...typeSchema(field.type), ...(field.doc ? { description: field.doc } : {}) };
    if (!field.optional) required.push(name);
  }
  return closed(properties, required);
}

/** One branch per `kind` (if kind is K then the object is K's), for data sources and optimisers. */
function byKind(declarations: Record<string, Fields>): Schema {
  const kinds = Object.keys(declarations);
  return {
    type: 'object',
    required: ['kind'],
    properties: { kind: { enum: kinds } },
    allOf: kinds.map((kind) => ({
      if: { properties: { kind: { const: kind } } },
      then: fieldsSchema(declarations[kind]!, { kind: { const: kind } }, ['kind']),
    })),
  };
}

function nodeSchema(): Schema {
  const ops = Object.keys(irOps) as (keyof typeof irOps)[];
  return {
    type: 'object',
    required: ['op'],
    properties: { op: { enum: ops } },
    discriminator: { propertyName: 'op' },
    oneOf: ops.map((op) =>
      closed(
        {
          id: { type: 'string' },
          op: { const: op, description: opDescription(op) },
          inputs: { type: 'array', items: { type: 'string' }, description: inputsDescription(op) },
          attrs: ref(`attrs_${op}`),
          shape: ref('shape'),
          stage: { enum: [...modelParts] },
          params: closed(Object.fromEntries(parameterRoles.map((role) => [role, { type: 'string' }]))),
          name: { type: 'string' },
          layer: { type: 'integer', minimum: 0 },
          source: ref('source'),
        },
        ['id', 'op', 'inputs', 'attrs', 'shape', 'stage'],
      ),
    ),
  };
}

/** The op's doc line, and its named outputs (read as `<node id>:<name>`, ir/outputs.ts). */
function opDescription(op: keyof typeof irOps): string {
  const outputs = Object.entries((irOps[op] as { outputs?: Record<string, OutputDeclaration> }).outputs ?? {});
  return outputs.length === 0 ? irOps[op].doc : `${irOps[op].doc} Named outputs: ${outputs.map(([name, o]) => `\`${name}\`, ${o.doc}`).join('; ')}.`;
}

/** The op's inputs in order, as ir/ops.ts declares them (ir/graph.ts checks them). */
function inputsDescription(op: keyof typeof irOps): string {
  const inputs: readonly InputDeclaration[] = (irOps[op] as { inputs?: readonly InputDeclaration[] }).inputs ?? [{ name: 'x' }];
  const one = (d: InputDeclaration) => `${d.name}${d.variadic ? '...' : ''}${d.optional ? '?' : ''}${d.reads ? ` (the \`${d.reads}\` output of a node)` : ''}`;
  return `[${inputs.map(one).join(', ')}]`;
}

function termSchema(): Schema {
  const fns = Object.keys(irTerms) as (keyof typeof irTerms)[];
  return {
    ...closed(
      {
        fn: { enum: fns },
        weight: { type: 'number' },
        schedule: coefficientSchedule,
        args: { type: 'array', items: { type: 'string' } },
        options: { type: 'object' },
        source: ref('source'),
      },
      ['fn', 'weight', 'args', 'options'],
    ),
    allOf: fns.map((fn) => ({
      if: { properties: { fn: { const: fn } } },
      then: { description: irTerms[fn].doc, properties: { options: fieldsSchema(irTerms[fn].options) } },
    })),
  };
}

const sourceLocation = closed(
  {
    file: { type: 'string' },
    line: { type: 'integer', minimum: 1 },
    column: { type: 'integer', minimum: 1 },
    endLine: { type: 'integer', minimum: 1 },
    endColumn: { type: 'integer', minimum: 1 },
  },
  ['line', 'column', 'endLine', 'endColumn'],
);

// leaky_relu always carries its slope (the runtime has no default of its own); the others take none.
const activation: Schema = {
  type: 'object',
  required: ['fn'],
  properties: { fn: { enum: [...activationNames] } },
  if: { properties: { fn: { const: 'leaky_relu' } } },
  then: closed({ fn: { const: 'leaky_relu' }, alpha: { type: 'number', minimum: 0, description: 'the negative slope' } }, ['fn', 'alpha']),
  else: closed({ fn: { enum: activationNames.filter((fn) => fn !== 'leaky_relu') } }, ['fn']),
};

// A loss coefficient that changes epoch by epoch (ir/schedule.ts).
const coefficientSchedule: Schema = {
  description: 'A coefficient that changes per epoch of its stage: a linear ramp from `from` to `to` over `epochs` epochs, or that ramp repeated every `period` epochs over its first `ramp` fraction (cyclical annealing).',
  oneOf: [
    closed({ kind: { const: 'ramp' }, from: { type: 'number' }, to: { type: 'number' }, epochs: { type: 'integer', minimum: 1 } }, ['kind', 'from', 'to', 'epochs']),
    closed(
      { kind: { const: 'cyclic' }, from: { type: 'number' }, to: { type: 'number' }, period: { type: 'integer', minimum: 2 }, ramp: { type: 'number', exclusiveMinimum: 0, maximum: 1 } },
      ['kind', 'from', 'to', 'period', 'ramp'],
    ),
  ],
};

// How the learning rate moves epoch by epoch from the optimizer's lr (runtime/train/callbacks/lr-scheduler.ts).
const lrSchedule: Schema = {
  description:
    "How the learning rate changes epoch by epoch from the optimizer's lr: warmup epochs rise linearly to it, then cosine annealing to min, a step decay by factor every `every` epochs, or a reduction by factor on a plateau of the monitored loss.",
  oneOf: [
    closed({ kind: { const: 'cosine' }, min: { type: 'number', minimum: 0 }, warmup: { type: 'integer', minimum: 0 } }, ['kind', 'min', 'warmup']),
    closed(
      { kind: { const: 'step' }, every: { type: 'integer', minimum: 1 }, factor: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, warmup: { type: 'integer', minimum: 0 } },
      ['kind', 'every', 'factor', 'warmup'],
    ),
    closed(
      {
        kind: { const: 'plateau' },
        factor: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        patience: { type: 'integer', minimum: 1 },
        min: { type: 'number', minimum: 0 },
        minDelta: { type: 'number', minimum: 0 },
        warmup: { type: 'integer', minimum: 0 },
      },
      ['kind', 'factor', 'patience', 'min', 'minDelta', 'warmup'],
    ),
  ],
};

const phase = closed(
  {
    name: { type: 'string' },
    data: ref('dataSource'),
    validate: ref('dataSource'),
    optimizer: ref('optimizer'),
    lrSchedule: ref('lrSchedule'),
    epochs: { type: 'integer', minimum: 0 },
    batch: { type: 'integer', minimum: 1 },
    seed: { type: 'integer' },
    schedule: closed({ kind: { const: 'greedy' }, epochs: { type: 'integer', minimum: 0 } }, ['kind', 'epochs']),
    freeze: { type: 'array', items: { type: 'string' } },
    earlyStop: closed(
      { patience: { type: 'integer', minimum: 0 }, minDelta: { type: 'number', minimum: 0 }, restoreBest: { type: 'boolean' } },
      ['patience', 'minDelta', 'restoreBest'],
    ),
    objective: { type: 'array', items: ref('term') },
  },
  ['name', 'optimizer', 'epochs', 'batch', 'seed', 'freeze', 'objective'],
);

const ids = { type: 'array', items: { type: 'string' } } as const;

const stage = closed(
  {
    name: { type: 'string' },
    phase: { type: 'integer', minimum: 0 },
    objective: { type: 'array', items: ref('term'), minItems: 1 },
    trainable: { ...ids, minItems: 1 },
    greedy: closed(
      {
        layer: { type: 'integer', minimum: 0 },
        prefix: { ...ids, description: "the nodes computing the layer's input code beyond the layer below's prefix (layer l runs both)" },
        nodes: { ...ids, minItems: 1 },
        code: { type: ['string', 'null'] },
        corruption: ids,
        rename: { type: 'object', additionalProperties: { type: 'string' } },
      },
      ['layer', 'prefix', 'nodes', 'code', 'corruption', 'rename'],
    ),
    // Optional: an IR written before stages carried them gets them derived (ir/plan.ts stagesOf),
    // which also checks their values against the graph.
    noise: { type: 'array', items: ref('noise') },
    update: closed({ optimizer: ref('optimizer'), decayed: ids, lrSchedule: ref('lrSchedule') }, ['optimizer', 'decayed']),
    codebooks: {
      type: 'array',
      description: 'the upkeep of each vq codebook the stage trains through, in node order (ir/codebook-upkeep.ts)',
      items: closed(
        {
          node: { type: 'string' },
          seedVectors: { type: 'integer', minimum: 1, description: "an untrained codebook is seeded by k-means++ over at most this many of the first batch's encoder outputs" },
          restartEvery: { type: 'integer', minimum: 1, description: 'every this many steps the codes no vector chose move onto vectors of the batch' },
        },
        ['node', 'seedVectors', 'restartEvery'],
      ),
    },
  },
  ['name', 'phase', 'objective', 'trainable'],
);

// One draw of a stage's forward pass in training (ir/noise.ts): the node reading it, the step's
// inputs it fills, its distribution and shape.
const noise = closed(
  {
    node: { type: 'string' },
    inputs: { ...ids, minItems: 1 },
    distribution: {
      oneOf: [
        closed({ kind: { const: 'normal' }, std: { type: 'number' } }, ['kind', 'std']),
        closed({ kind: { const: 'uniform' }, low: { type: 'number' } }, ['kind', 'low']),
        ...(['mask', 'dropout', 'salt_pepper'] as const).map((kind) => closed({ kind: { const: kind }, rate: { type: 'number' } }, ['kind', 'rate'])),
      ],
    },
    shape: ref('shape'),
  },
  ['node', 'inputs', 'distribution', 'shape'],
);

export function buildSchema(): Schema {
  const attrs = Object.fromEntries(
    Object.entries(irOps).map(([op, declaration]) => [
      `attrs_${op}`,
      declaration.attrs === 'activation' ? ref('activation') : fieldsSchema(declaration.attrs),
    ]),
  );
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://aelang.dev/ir.schema.json',
    title: 'aelang graph IR',
    description: 'The contract between the compiler and the runtime (ir/types.ts). Generated from ir/ops.ts by `npm run gen:schema`: do not edit.',
    ...closed(
      {
        irVersion: { const: IR_VERSION },
        model: { type: 'string' },
        source: { type: 'string' },
        inputs: { type: 'array', items: ref('input'), minItems: 1 },
        parameters: { type: 'array', items: ref('parameter') },
        nodes: { type: 'array', items: ref('node') },
        outputs: closed(
          {
            reconstruction: { type: 'string' },
            target: { type: 'string' },
            latent: { type: 'string' },
            named: { type: 'object', additionalProperties: { type: 'string' } },
            heads: { type: 'object', additionalProperties: { type: 'string' } },
          },
          ['reconstruction', 'target', 'latent', 'named', 'heads'],
        ),
        objective: { type: 'array', items: ref('term') },
        // The compiler always plans at least one phase: the runtime has no default phase.
        phases: { type: 'array', items: ref('phase'), minItems: 1 },
        // The training plan the compiler writes (ir/plan.ts); the runtime trains it as written.
        plan: { type: 'array', items: ref('stage'), minItems: 1 },
      },
      ['irVersion', 'model', 'inputs', 'parameters', 'nodes', 'outputs', 'objective', 'phases'],
    ),
    definitions: {
      shape: { type: 'array', minItems: 1, items: [{ type: 'null' }], additionalItems: { type: ['integer', 'null'], minimum: 1 } },
      activation,
      source: sourceLocation,
      parameter: closed(
        {
          id: { type: 'string' },
          node: { type: 'string' },
          role: { enum: [...parameterRoles] },
          shape: { type: 'array', items: { type: 'integer', minimum: 0 } },
          init: { enum: [...initializers] },
          trainable: { type: 'boolean' },
          tiedTo: { type: 'string' },
          transpose: { type: 'boolean' },
        },
        ['id', 'node', 'role', 'shape', 'init', 'trainable'],
      ),
      input: closed(
        {
          name: { type: 'string' },
          kind: { enum: ['tensor', 'label', 'table'] },
          shape: ref('shape'),
          dtype: { enum: ['float32', 'int32'] },
          range: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
          classes: { type: 'integer', minimum: 2 },
          columns: {
            type: 'array',
            minItems: 1,
            items: closed({ name: { type: 'string' }, levels: { type: 'integer', minimum: 2 } }, ['name']),
            description: 'A table: its columns in order, numeric (no levels) or categorical.',
          },
        },
        ['name', 'kind', 'shape', 'dtype'],
      ),
      ...attrs,
      node: nodeSchema(),
      term: termSchema(),
      dataSource: byKind(irDataSources),
      optimizer: byKind(irOptimizers),
      lrSchedule,
      phase,
      stage,
      noise,
    },
  };
}

/** The schema as committed: two-space JSON with a final newline. */
export function schemaText(): string {
  return JSON.stringify(buildSchema(), null, 2) + '\n';
}
