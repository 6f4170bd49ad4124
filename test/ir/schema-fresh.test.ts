// ir/ir.schema.json is generated from ir/ops.ts (`npm run gen:schema`) and committed: it must be
// exactly what the generator writes today, and it must say what ir/ops.ts declares.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { irOps, irTerms } from '../../ir/ops.js';
import { schemaText } from '../../ir/schema.js';
import { validateIR } from '../../ir/validate.js';
import { repositoryRoot } from '../goldens/files.js';

const committed = readFileSync(join(repositoryRoot, 'ir/ir.schema.json'), 'utf8');
const schema = JSON.parse(committed) as { $schema: string; definitions: Record<string, any> };

describe('ir/ir.schema.json', () => {
  it('is what `npm run gen:schema` writes (regenerate it after changing ir/ops.ts)', () => {
    expect(committed).toBe(schemaText());
  });

  it('is draft-07 with one attrs definition per op and one options branch per term', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.definitions.node.properties.op.enum).toEqual(Object.keys(irOps));
    expect(Object.keys(schema.definitions).filter((k) => k.startsWith('attrs_'))).toEqual(Object.keys(irOps).map((op) => `attrs_${op}`));
    expect(schema.definitions.term.properties.fn.enum).toEqual(Object.keys(irTerms));
    expect(schema.definitions.attrs_dense).toEqual({
      type: 'object',
      properties: { units: { type: 'integer', minimum: 1 }, activation: { $ref: '#/definitions/activation' }, useBias: { type: 'boolean' } },
      additionalProperties: false,
      required: ['units', 'activation', 'useBias'],
    });
  });

  it('closes every object it declares', () => {
    // The wrappers only dispatch on their tag; each branch they dispatch to is closed.
    const wrappers = new Set(['#/definitions/node', '#/definitions/dataSource', '#/definitions/optimizer', '#/definitions/activation']);
    const open: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${path}/${i}`));
      else if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        const tagTest = /\/(if|then)$/.test(path);
        if (o.properties && !('additionalProperties' in o) && !wrappers.has(path) && !tagTest) open.push(path);
        for (const [k, v] of Object.entries(o)) walk(v, `${path}/${k}`);
      }
    };
    walk(schema, '#');
    expect(open).toEqual([]);
  });
});

describe('the IR carries every value the runtime uses', () => {
  const leaky = {
    irVersion: 1,
    model: 'M',
    inputs: [{ name: 'x', kind: 'tensor', shape: [null, 2], dtype: 'float32' }],
    parameters: [],
    nodes: [{ id: 'a', op: 'activation', inputs: ['x'], attrs: { fn: 'leaky_relu', alpha: 0.1 }, shape: [null, 2], stage: 'encoder' }],
    outputs: { reconstruction: 'a', target: 'x', latent: 'a', named: {}, heads: {} },
    objective: [],
    phases: [{ name: 'train', optimizer: { kind: 'sgd', lr: 0.1, momentum: 0, weightDecay: 0 }, epochs: 1, batch: 2, seed: 0, freeze: [], objective: [] }],
  };

  it('accepts a leaky_relu with its slope', () => {
    expect(validateIR(leaky)).toMatchObject({ ok: true });
  });

  it('rejects a leaky_relu without its slope, and a slope on another activation', () => {
    const noSlope = structuredClone(leaky);
    noSlope.nodes[0]!.attrs = { fn: 'leaky_relu' } as never;
    expect(validateIR(noSlope)).toMatchObject({ ok: false, error: expect.stringContaining('/nodes/0/attrs') });
    const slopeOnRelu = structuredClone(leaky);
    slopeOnRelu.nodes[0]!.attrs = { fn: 'relu', alpha: 0.1 } as never;
    expect(validateIR(slopeOnRelu)).toMatchObject({ ok: false, error: expect.stringContaining('/nodes/0/attrs') });
  });

  it('rejects an IR without a phase (the compiler always plans one)', () => {
    expect(validateIR({ ...leaky, phases: [] })).toMatchObject({ ok: false, error: expect.stringContaining('/phases') });
  });
});
