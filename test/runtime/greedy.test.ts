// Greedy layer-wise pretraining: one stage per encoder layer, each a shallow autoencoder on the code
// of the layers below, updating only its own layer; then the phases after it train the whole model.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IRModel, IRNode } from '../../ir/types.js';
import { buildProgram } from '../../runtime/program/program.js';
import { Rng } from '../../runtime/program/rng.js';
import { planStages, type Stage } from '../../runtime/train/stages.js';
import { train } from '../../runtime/train/train.js';
import { codeFor } from '../../runtime/train/validate.js';
import { adam, mlpAutoencoder, mseTerm, phase } from './ir-builders.js';
import { uniformDataset } from './data-helpers.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

const objective = [mseTerm()];
const ir = mlpAutoencoder({
  inputWidth: 8,
  hidden: [6],
  code: 3,
  output: 'sigmoid',
  objective,
  phases: [
    phase(objective, { name: 'pretrain', schedule: { kind: 'greedy', epochs: 3 }, optimizer: adam(0.02) }),
    phase(objective, { name: 'finetune', epochs: 2 }),
  ],
});

describe('greedy schedule', () => {
  it('refuses an IR without a phase, which the compiler never emits', () => {
    expect(() => planStages({ ...ir, phases: [] })).toThrow('the IR has no training phase');
  });

  it('plans one shallow autoencoder per encoder layer, then the fine-tuning phase', () => {
    const stages = planStages(ir);
    expect(stages.map((s) => s.name)).toEqual(['pretrain/layer0', 'pretrain/layer1', 'finetune']);
    const [layer0, layer1, finetune] = stages;
    expect(layer0!.greedy!.nodes.map((n) => n.id)).toEqual(['encoder.0', 'decoder.out', 'x_hat']);
    expect(layer0!.greedy!.rename).toEqual(new Map([['decoder.1', 'encoder.0']]));
    expect(layer0!.trainable.sort()).toEqual(['decoder.out.bias', 'decoder.out.kernel', 'encoder.0.bias', 'encoder.0.kernel']);
    expect(layer1!.greedy!.prefix.map((n) => n.id)).toEqual(['encoder.0']);
    expect(layer1!.greedy!.codeId).toBe('encoder.0');
    expect(layer1!.objective).toEqual([{ fn: 'mse', weight: 1, args: ['decoder.1', 'encoder.0'], options: { reduce: 'mean' } }]);
    expect(layer1!.trainable.sort()).toEqual(['decoder.1.bias', 'decoder.1.kernel', 'z.bias', 'z.kernel']);
    expect(finetune!.greedy).toBeUndefined();
    expect(finetune!.trainable).toHaveLength(8);
  });

  it('trains the stages in order and lowers each layer’s loss', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ae-greedy-'));
    const result = await train({ ir, runDir: dir, cwd: dir, dataset: uniformDataset(64, 8) });
    result.program.dispose();
    expect(result.metrics.map((m) => `${m.phase}:${m.epoch}`)).toEqual([
      'pretrain/layer0:1',
      'pretrain/layer0:2',
      'pretrain/layer0:3',
      'pretrain/layer1:1',
      'pretrain/layer1:2',
      'pretrain/layer1:3',
      'finetune:1',
      'finetune:2',
    ]);
    for (const stage of ['pretrain/layer0', 'pretrain/layer1']) {
      const losses = result.metrics.filter((m) => m.phase === stage).map((m) => m.loss);
      expect(losses[2]!).toBeLessThan(losses[0]!);
    }
  });

  it('freeze keeps the named stages fixed', () => {
    const frozen = { ...ir, phases: [phase(objective, { freeze: ['encoder'] })] };
    const [stage] = planStages(frozen);
    expect(stage!.trainable.sort()).toEqual(['decoder.1.bias', 'decoder.1.kernel', 'decoder.out.bias', 'decoder.out.kernel', 'z.bias', 'z.kernel']);
  });
});

describe('greedy schedule of a denoising model (Vincent et al. 2010: every layer denoises)', () => {
  const corrupt: IRNode[] = [
    { id: 'x.mask', op: 'corrupt_mask', inputs: ['x'], attrs: { rate: 0.5 }, shape: [null, 8], stage: 'corrupt' },
    { id: 'x.clip', op: 'clip', inputs: ['x.mask'], attrs: { low: 0, high: 1 }, shape: [null, 8], stage: 'corrupt' },
  ];
  const model = (corruptions: IRNode[]): IRModel =>
    mlpAutoencoder({
      inputWidth: 8,
      hidden: [6],
      code: 3,
      output: 'sigmoid',
      corrupt: corruptions,
      objective,
      phases: [phase(objective, { name: 'pretrain', schedule: { kind: 'greedy', epochs: 2 } })],
    });
  const denoising = model(corrupt);
  const layerStages = (m: IRModel): Stage[] => {
    const stages = planStages(m);
    return stages;
  };

  it('plans the corruption chain on every layer’s input, the clip (the input’s range) only on the model input', () => {
    const [layer0, layer1] = layerStages(denoising);
    expect(layer0!.greedy!.corruption).toEqual(['x.mask', 'x.clip']);
    expect(layer1!.greedy!.corruption).toEqual(['x.mask']);
    expect(layer1!.greedy!.nodes.map((n) => n.id)).toEqual(['x.mask', 'z', 'decoder.1']);
    // The mask reads the code, and layer 1 reads the masked code.
    expect(layer1!.greedy!.rename).toEqual(new Map([['x', 'encoder.0'], ['encoder.0', 'x.mask']]));
    // The target stays the clean code.
    expect(layer1!.objective[0]!.args).toEqual(['decoder.1', 'encoder.0']);
    // A clip inside the chain is passed over: the mask after it reads the noise before it.
    const [, inner] = layerStages(
      model([
        { id: 'x.noise', op: 'corrupt_gaussian', inputs: ['x'], attrs: { std: 0.1 }, shape: [null, 8], stage: 'corrupt' },
        { id: 'x.clip', op: 'clip', inputs: ['x.noise'], attrs: { low: 0, high: 1 }, shape: [null, 8], stage: 'corrupt' },
        { id: 'x.mask', op: 'corrupt_mask', inputs: ['x.clip'], attrs: { rate: 0.5 }, shape: [null, 8], stage: 'corrupt' },
      ]),
    );
    expect(inner!.greedy!.corruption).toEqual(['x.noise', 'x.mask']);
    expect(inner!.greedy!.rename).toEqual(new Map([['x.clip', 'x.noise'], ['x', 'encoder.0'], ['encoder.0', 'x.mask']]));
    const [clean0, clean1] = layerStages(model([]));
    expect(clean0!.greedy!.corruption).toEqual([]);
    expect(clean1!.greedy!.corruption).toEqual([]);
    expect(clean1!.greedy!.rename).toEqual(new Map());
  });

  /** Layer 1's stage forward on one batch: the code it reads, its target, and its code z. */
  function layer1Forward(m: IRModel, training: boolean, seed: number) {
    const program = buildProgram(m, { seed: 1 });
    const greedy = planStages(m)[1]!.greedy!;
    const values = tf.tidy(() => {
      const inputs = { x: tf.randomUniform([32, 8], 0, 1, 'float32', 7) };
      const given = codeFor(program, inputs, greedy);
      const outputs = program.forward(inputs, { training, rng: new Rng(seed), nodes: greedy.nodes, given, rename: greedy.rename });
      const seen = outputs.get(greedy.rename.get(greedy.codeId!) ?? greedy.codeId!)!;
      const z = tf.add(tf.matMul(seen, program.variables.get('z.kernel')!), program.variables.get('z.bias')!);
      return {
        seen: Array.from(seen.dataSync()),
        target: Array.from(outputs.get('encoder.0')!.dataSync()),
        z: Array.from(outputs.get('z')!.dataSync()),
        zOfSeen: Array.from(z.dataSync()),
      };
    });
    program.dispose();
    return values;
  }

  it('masks layer 1’s input code in training, deterministically from the epoch’s RNG; its target is the clean code', () => {
    const { seen, target, z, zOfSeen } = layer1Forward(denoising, true, 3);
    const live = target.map((v, i) => [v, seen[i]!] as const).filter(([v]) => v > 0);
    expect(live.length).toBeGreaterThan(60);
    const masked = live.filter(([, s]) => s === 0).length / live.length;
    expect(masked).toBeGreaterThan(0.3);
    expect(masked).toBeLessThan(0.7);
    seen.forEach((s, i) => expect(s === 0 || s === target[i]).toBe(true));
    z.forEach((v, i) => expect(v).toBeCloseTo(zOfSeen[i]!, 5));
    expect(layer1Forward(denoising, true, 3).seen).toEqual(seen);
    expect(layer1Forward(denoising, true, 4).seen).not.toEqual(seen);
  });

  it('leaves the code clean in inference, and in a model without corruption', () => {
    const inference = layer1Forward(denoising, false, 3);
    expect(inference.seen).toEqual(inference.target);
    const clean = layer1Forward(model([]), true, 3);
    expect(clean.seen).toEqual(clean.target);
  });

  it('trains every layer of the denoising model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ae-greedy-dae-'));
    const result = await train({ ir: denoising, runDir: dir, cwd: dir, dataset: uniformDataset(64, 8) });
    result.program.dispose();
    expect(result.metrics.map((m) => m.phase)).toEqual(['pretrain/layer0', 'pretrain/layer0', 'pretrain/layer1', 'pretrain/layer1']);
    for (const m of result.metrics) expect(Number.isFinite(m.loss)).toBe(true);
  });
});
