// ir/upgrade.ts: an IR of version 1 (before named outputs were edges) reads as version 2. The
// fixtures are the version-1 goldens as the compiler wrote them before the bump; they must read as
// exactly today's goldens. A run directory trained and then given its version-1 IR still evaluates
// and encodes through the CLI.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { validateIR } from '../../ir/schema-validation.js';
import type { IRModel } from '../../ir/types.js';
import { upgradeIR } from '../../ir/upgrade.js';
import { useTempDir } from '../data/temp-dir.js';

const tempDir = useTempDir();
const read = (path: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, path), 'utf8'));

describe('IR version 1 → 2', () => {
  it.each(['cae', 'vqvae'])('the version-1 golden of %s reads as the version-2 golden', (name) => {
    const v1 = read(`fixtures/${name}.v1.ir.json`) as { irVersion: number };
    expect(v1.irVersion).toBe(1);
    const result = validateIR(v1);
    expect(result.ok ? 'ok' : result.error).toBe('ok');
    expect(result.ok && result.ir).toEqual(read(`../../specs/valid/${name}.ir.json`));
  });

  it("an unpool's switchesFrom becomes its switches input; vq_loss reads the quantiser's edges", () => {
    const cae = upgradeIR(read('fixtures/cae.v1.ir.json')) as IRModel;
    const unpools = cae.nodes.filter((n) => n.op === 'unpool');
    expect(unpools.map((n) => [n.inputs, n.attrs])).toEqual([
      [['encoder.3.maxpool', 'encoder.3.maxpool:switches'], { pool: [2, 2], mode: 'switches' }],
      [['decoder.1.deconv2d', 'encoder.1.maxpool:switches'], { pool: [2, 2], mode: 'switches' }],
    ]);
    const vq = upgradeIR(read('fixtures/vqvae.v1.ir.json')) as IRModel;
    expect(vq.objective.find((t) => t.fn === 'vq_loss')!.args).toEqual(['encoder.1.dense', 'latent.z:quantized']);
  });

  it('fromLogits naming a node that squashes itself becomes its logits output; a linear one stays', () => {
    const v1 = (fn: 'sigmoid' | 'linear') => ({
      irVersion: 1,
      model: 'm',
      inputs: [{ name: 'x', kind: 'tensor', shape: [null, 3], dtype: 'float32', range: [0, 1] }],
      parameters: [
        { id: 'd.kernel', node: 'd', role: 'kernel', shape: [3, 3], init: 'glorot_uniform', trainable: true },
        { id: 'd.bias', node: 'd', role: 'bias', shape: [3], init: 'zeros', trainable: true },
      ],
      nodes: [{ id: 'd', op: 'dense', inputs: ['x'], attrs: { units: 3, activation: { fn }, useBias: true }, params: { kernel: 'd.kernel', bias: 'd.bias' }, shape: [null, 3], stage: 'decoder' }],
      outputs: { reconstruction: 'd', target: 'x', latent: 'd', named: {}, heads: {} },
      objective: [{ fn: 'bce', weight: 1, args: ['d', 'x'], options: { reduce: 'mean', fromLogits: 'd' } }],
      phases: [{ name: 'train', optimizer: { kind: 'sgd', lr: 0.1, momentum: 0, weightDecay: 0 }, epochs: 1, batch: 2, seed: 0, freeze: [], objective: [] }],
    });
    const sigmoid = validateIR(v1('sigmoid'));
    expect(sigmoid.ok && sigmoid.ir.objective[0]!.options).toEqual({ reduce: 'mean', fromLogits: 'd:logits' });
    const linear = validateIR(v1('linear'));
    expect(linear.ok && linear.ir.objective[0]!.options).toEqual({ reduce: 'mean', fromLogits: 'd' });
  });

  it('leaves other versions to the schema, which names the version it reads', () => {
    const result = validateIR({ ...(read('fixtures/cae.v1.ir.json') as object), irVersion: 7 });
    expect(result.ok ? 'ok' : result.error).toMatch(/^IR \/irVersion must be equal to constant \{"allowedValue":2\}/);
  });

  it('`ae eval` and `ae encode` read a run directory whose IR is version 1', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'm.ae'),
      'model m {\n  input x: [4, 4, 1] in [0, 1]\n  encoder { conv2d(2, kernel = 3, padding = same, act = relu), maxpool(2) }\n  latent z = identity\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = bce(x_hat, x)\n}\n',
    );
    let stderr = '';
    const io = { stdout: () => {}, stderr: (s: string) => (stderr += s), isTTY: false, cwd: dir };
    expect(await main(['train', 'm.ae', '--data', 'synthetic', '--epochs', '1', '--batch', '8', '--limit', '32', '-o', 'run', '--backend', 'cpu', '--quiet'], io), stderr).toBe(0);
    const file = join(dir, 'run', 'model.ir.json');
    const v2 = JSON.parse(readFileSync(file, 'utf8')) as IRModel;
    const unpool = v2.nodes.find((n) => n.op === 'unpool')!;
    expect(unpool.inputs[1]).toBe('encoder.1.maxpool:switches');
    // The same run as the version-1 compiler wrote it: the switches as an attribute of the unpool.
    const v1 = { ...v2, irVersion: 1, nodes: v2.nodes.map((n) => (n === unpool ? { ...n, inputs: [n.inputs[0]], attrs: { ...n.attrs, switchesFrom: 'encoder.1.maxpool' } } : n)) };
    const evaluateJson = async (): Promise<string> => {
      let out = '';
      expect(await main(['eval', 'run', '--data', 'synthetic', '--limit', '16', '--format', 'json', '--backend', 'cpu'], { ...io, stdout: (s: string) => (out += s) }), stderr).toBe(0);
      return out;
    };
    const before = await evaluateJson();
    writeFileSync(file, JSON.stringify(v1));
    expect(await evaluateJson()).toBe(before);
    expect(await main(['encode', 'run', '--data', 'synthetic', '--limit', '16', '-o', 'codes.npy', '--backend', 'cpu'], io), stderr).toBe(0);
    expect(stderr).toContain('wrote 16 codes of shape [2, 2, 2]');
  });
});
