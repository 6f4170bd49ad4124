// Greedy layer-wise pretraining: one stage per encoder layer, each a shallow autoencoder on the code
// of the layers below, updating only its own layer; then the phases after it train the whole model.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../runtime/program/program.js';
import { planStages } from '../../runtime/train/stages.js';
import { train } from '../../runtime/train/train.js';
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
  it('plans one shallow autoencoder per encoder layer, then the fine-tuning phase', () => {
    const program = buildProgram(ir, { seed: 1 });
    const stages = planStages(ir, ir.phases, program.parameters);
    program.dispose();
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
    const program = buildProgram(frozen, { seed: 1 });
    const [stage] = planStages(frozen, frozen.phases, program.parameters);
    program.dispose();
    expect(stage!.trainable.sort()).toEqual(['decoder.1.bias', 'decoder.1.kernel', 'decoder.out.bias', 'decoder.out.kernel', 'z.bias', 'z.kernel']);
  });
});
