// The training plan in the IR (`plan`): the compiler writes it, the runtime trains it as written.
// Every compiled model's written plan reads back as the plan derived from the IR; an IR without
// one (built by hand) gets the derived plan; a plan naming what the IR does not hold is refused
// with the stage and the id; and an edited plan is what `ae train` trains (the runtime plans
// nothing of its own).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { analyzeFile, analyzeSource } from '../../compiler/analyze.js';
import { opsWithNoise } from '../../ir/noise.js';
import { opTraits } from '../../ir/op-rules.js';
import { irOps } from '../../ir/ops.js';
import { planTraining, stagesOf, writtenPlan } from '../../ir/plan.js';
import { validateIR } from '../../ir/schema-validation.js';
import type { IRModel, IROp } from '../../ir/types.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { decodeSafetensors } from '../../runtime/runs/index.js';
import { planStages } from '../../runtime/train/stages.js';
import { uniformDataset } from '../runtime/data-helpers.js';
import { useTempDir } from '../data/temp-dir.js';

const tempDir = useTempDir();

const root = join(import.meta.dirname, '..', '..');

function compiled(): IRModel[] {
  const dir = join(root, 'specs', 'valid');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ae'))
    .sort()
    .flatMap((f) => analyzeFile(join('specs', 'valid', f), { cwd: root }).irs);
}

describe('the training plan written into the IR', () => {
  const irs = compiled();

  it('is in every compiled IR, valid, and reads back as the plan the IR derives', () => {
    expect(irs.length).toBeGreaterThan(30);
    for (const ir of irs) {
      expect(ir.plan, ir.model).toBeDefined();
      expect(validateIR(JSON.parse(JSON.stringify(ir))).ok).toBe(true);
      const read = stagesOf(JSON.parse(JSON.stringify(ir)) as IRModel);
      const derived = planTraining(ir);
      if (!read.ok || !derived.ok) throw new Error(`${ir.model}: no plan`);
      // as JSON: the file drops keys whose value is undefined
      const json = (plan: typeof read) => JSON.parse(JSON.stringify(writtenPlan(plan.ok ? plan.stages : []))) as unknown;
      expect(json(read), ir.model).toEqual(json(derived));
      expect(read.stages.map((s) => s.greedy?.nodes), ir.model).toEqual(derived.stages.map((s) => s.greedy?.nodes));
      expect(read.stages.map((s) => s.greedy?.prefix), ir.model).toEqual(derived.stages.map((s) => s.greedy?.prefix));
    }
  });

  it("writes a greedy layer's prefix as what it adds to the layer below's, and reads whole prefixes the same", () => {
    const model = analyzeFile(join('specs', 'valid', 'sdae.ae'), { cwd: root }).irs[0]!;
    const greedy = model.plan!.filter((s) => s.greedy);
    expect(greedy.map((s) => s.greedy!.prefix)).toEqual([[], ['corrupt.x.0.mask', 'encoder.0.dense'], ['encoder.1.dense'], ['encoder.2.dense']]);
    const derived = planTraining(model);
    if (!derived.ok) throw new Error(derived.message);
    const whole = derived.stages.filter((s) => s.greedy).map((s) => s.greedy!.prefix.map((n) => n.id));
    expect(whole[3]).toEqual(['corrupt.x.0.mask', 'encoder.0.dense', 'encoder.1.dense', 'encoder.2.dense']);
    // last session's compiler wrote each layer's whole prefix
    const old = JSON.parse(JSON.stringify(model)) as IRModel;
    old.plan!.filter((s) => s.greedy).forEach((s, i) => (s.greedy!.prefix = whole[i]!));
    const read = stagesOf(old);
    if (!read.ok) throw new Error(read.message);
    expect(read.stages.map((s) => s.greedy?.prefix.map((n) => n.id))).toEqual(derived.stages.map((s) => s.greedy?.prefix.map((n) => n.id)));
  });

  it('grows linearly with the number of greedy layers (a hostile 900-layer encoder once took 2.3 s to plan)', () => {
    const written = (layers: number) => {
      const source = `model deep {
  input x: [8]
  corrupt x with mask(p = 0.1)
  encoder { repeat ${layers} { dense(4, act = relu) } }
  latent z = dense(2)
  decoder = mirror(encoder)
  output x_hat = sigmoid
  loss = mse(x_hat, x)
  train pretrain { schedule = greedy(epochs = 1) }
}
`;
      const ir = analyzeSource(source, 'deep.ae', { cwd: root, readFile: () => undefined }).irs[0]!;
      return ir.plan!.reduce((ids, s) => ids + (s.greedy ? s.greedy.prefix.length + s.greedy.nodes.length : 0), 0);
    };
    // each further layer: the one node its prefix adds, the mask it denoises with, its node and its
    // mirror (whole prefixes would add 300 · 250 more)
    const [small, large] = [written(100), written(400)];
    expect(large - small).toBe(4 * 300);
  });

  it('writes each greedy layer: its nodes, the code it reads, its renames', () => {
    const ir = irs.find((m) => m.plan!.some((s) => s.greedy !== undefined && s.greedy.layer > 0))!;
    const layer1 = ir.plan!.find((s) => s.greedy?.layer === 1)!;
    expect(layer1.name).toMatch(/\/layer1$/);
    expect(layer1.greedy!.code).toBe(ir.plan!.find((s) => s.greedy?.layer === 0)!.greedy!.nodes[0]);
    expect(layer1.objective).toEqual([expect.objectContaining({ fn: 'mse', weight: 1 })]);
    expect(Object.keys(layer1.greedy!.rename).length).toBeGreaterThan(0);
  });

  it('derives the plan of an IR built without one', () => {
    const ir = irs[0]!;
    const { plan: _, ...bare } = ir;
    expect(stagesOf(bare as IRModel)).toEqual(planTraining(ir));
  });

  it('refuses a plan that names what the IR does not hold, naming the stage and the id', () => {
    const ir = JSON.parse(JSON.stringify(irs.find((m) => m.plan!.some((s) => s.greedy))!)) as IRModel;
    const greedy = ir.plan!.find((s) => s.greedy)!;
    greedy.greedy!.nodes.push('encoder.9.missing');
    const read = stagesOf(ir);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message).toBe(`plan stage ${ir.plan!.indexOf(greedy)} (\`${greedy.name}\`): 'encoder.9.missing' is not a node`);
    const other = JSON.parse(JSON.stringify(irs[0]!)) as IRModel;
    other.plan![0]!.trainable = ['no.such.kernel'];
    expect(() => planStages(other)).toThrow(/plan stage 0 \(`.*`\): 'no.such.kernel' is not a parameter/);
  });

  it('trains the plan as written: an edited plan changes what the runtime trains', () => {
    const model = analyzeFile(join('specs', 'valid', 'sdae.ae'), { cwd: root }).irs[0]!;
    expect(model.plan!.some((s) => s.greedy)).toBe(true);
    const stages = planStages(model);
    expect(stages.map((s) => s.name)).toEqual(model.plan!.map((s) => s.name));
    const edited = { ...model, plan: model.plan!.map((s) => ({ ...s, trainable: s.trainable.slice(0, 1) })) };
    expect(planStages(edited).map((s) => s.trainable)).toEqual(model.plan!.map((s) => s.trainable.slice(0, 1)));
  });
});

describe("each stage's noise and optimiser update in the plan", () => {
  const irs = compiled();
  const copy = (ir: IRModel): IRModel => JSON.parse(JSON.stringify(ir)) as IRModel;
  const refusal = (ir: IRModel): string => {
    const read = stagesOf(ir);
    return read.ok ? 'accepted' : read.message;
  };

  it("writes each vq codebook's upkeep, and refuses one that does not fit the stage", () => {
    const vq = irs.find((m) => m.plan!.some((s) => (s.codebooks ?? []).length > 0))!;
    const index = vq.plan!.findIndex((s) => (s.codebooks ?? []).length > 0);
    const stage = vq.plan![index]!;
    const node = vq.nodes.find((n) => n.op === 'vector_quantize')!.id;
    expect(stage.codebooks).toEqual([{ node, seedVectors: 4096, restartEvery: 50 }]);
    expect(irs.filter((m) => !m.nodes.some((n) => n.op === 'vector_quantize')).every((m) => m.plan!.every((s) => s.codebooks!.length === 0))).toBe(true);
    const at = `plan stage ${index} (\`${stage.name}\`)`;
    const withUpkeep = (codebooks: unknown): IRModel => {
      const edited = copy(vq);
      edited.plan![index]!.codebooks = codebooks as never;
      return edited;
    };
    expect(refusal(withUpkeep([{ node, seedVectors: 0, restartEvery: 50 }]))).toBe(`${at}: codebook 0 ('${node}'): seedVectors 0 is not a whole number of at least 1`);
    expect(refusal(withUpkeep([{ node, seedVectors: 16, restartEvery: 2.5 }]))).toBe(`${at}: codebook 0 ('${node}'): restartEvery 2.5 is not a whole number of at least 1`);
    expect(refusal(withUpkeep([{ node: 'decoder.0.dense', seedVectors: 16, restartEvery: 5 }]))).toBe(`${at}: codebook 0 ('decoder.0.dense'): not a quantising node of this stage`);
    expect(refusal(withUpkeep([]))).toBe(`${at}: the quantising node '${node}' trains in this stage, and the plan keeps no codebook upkeep for it`);
    expect(refusal(withUpkeep([{ node, seedVectors: 16, restartEvery: 5 }]))).toBe('accepted');
    const older = copy(vq);
    delete older.plan![index]!.codebooks;
    const read = stagesOf(older);
    expect(read.ok && read.stages[index]!.codebooks).toEqual(stage.codebooks);
  });

  it('has a noise rule for exactly the ops declared stochastic', () => {
    const stochastic = (Object.keys(irOps) as IROp[]).filter((op) => opTraits(op).stochastic === true);
    expect([...opsWithNoise].sort()).toEqual(stochastic.sort());
  });

  it('writes every draw of a stage: the node, its inputs, distribution and shape, in node order', () => {
    const vae = irs.find((m) => m.model === 'vae')!;
    expect(vae.plan![0]!.noise).toEqual([{ node: 'latent.z', inputs: ['noise:latent.z:draw'], distribution: { kind: 'normal', std: 1 }, shape: [null, 2] }]);
    // a greedy layer above the first corrupts its code: the draw is shaped like the code
    const sdae = irs.find((m) => m.model === 'sdae')!;
    expect(sdae.plan!.map((s) => s.noise!.map((n) => [n.node, n.distribution, n.shape]))).toEqual([
      [['corrupt.x.0.mask', { kind: 'mask', rate: 0.3 }, [null, 784]]],
      [['corrupt.x.0.mask', { kind: 'mask', rate: 0.3 }, [null, 128]]],
      [['corrupt.x.0.mask', { kind: 'mask', rate: 0.3 }, [null, 64]]],
      [['corrupt.x.0.mask', { kind: 'mask', rate: 0.3 }, [null, 10]]],
      [['corrupt.x.0.mask', { kind: 'mask', rate: 0.3 }, [null, 784]]],
    ]);
    for (const ir of irs) {
      for (const stage of ir.plan!) {
        const order = stage.noise!.map((n) => ir.nodes.findIndex((node) => node.id === n.node));
        expect(order, `${ir.model} ${stage.name}`).toEqual([...order].sort((x, y) => x - y));
      }
    }
  });

  it("writes the update: the phase's optimiser and schedule, weight decay on the trained kernels and codebooks", () => {
    for (const ir of irs) {
      for (const stage of ir.plan!) {
        const phase = ir.phases[stage.phase]!;
        expect(stage.update!.optimizer, ir.model).toEqual(phase.optimizer);
        expect(stage.update!.lrSchedule, ir.model).toEqual(phase.lrSchedule);
        const roles = new Map(ir.parameters.map((p) => [p.id, p.role]));
        expect(stage.update!.decayed, ir.model).toEqual(stage.trainable.filter((id) => roles.get(id) === 'kernel' || roles.get(id) === 'codebook'));
      }
    }
  });

  it('derives them for a plan written without them (the previous compiler\'s IR, version 2)', () => {
    for (const ir of irs) {
      const older = copy(ir);
      for (const stage of older.plan!) {
        delete stage.noise;
        delete stage.update;
      }
      expect(validateIR(copy(older)).ok, ir.model).toBe(true);
      const read = stagesOf(older);
      const derived = planTraining(ir);
      if (!read.ok || !derived.ok) throw new Error(`${ir.model}: no plan`);
      expect(JSON.parse(JSON.stringify(writtenPlan(read.stages))), ir.model).toEqual(JSON.parse(JSON.stringify(writtenPlan(derived.stages))));
    }
  });

  it('refuses noise or an update that does not fit the stage, naming the stage and the draw', () => {
    const denoising = irs.find((m) => m.plan!.some((s) => s.noise!.some((n) => n.distribution.kind === 'mask')))!;
    const stageIndex = denoising.plan!.findIndex((s) => s.noise!.some((n) => n.distribution.kind === 'mask'));
    const at = `plan stage ${stageIndex} (\`${denoising.plan![stageIndex]!.name}\`)`;
    const edited = (edit: (stage: NonNullable<IRModel['plan']>[number]) => void): IRModel => {
      const ir = copy(denoising);
      edit(ir.plan![stageIndex]!);
      return ir;
    };
    const mask = (stage: NonNullable<IRModel['plan']>[number]) => stage.noise!.find((n) => n.distribution.kind === 'mask')!;
    const maskIndex = denoising.plan![stageIndex]!.noise!.indexOf(mask(denoising.plan![stageIndex]!));
    const node = mask(denoising.plan![stageIndex]!).node;
    expect(refusal(edited((s) => (mask(s).distribution = { kind: 'mask', rate: -0.1 })))).toBe(`${at}: noise ${maskIndex} ('${node}'): rate -0.1 is not in [0, 1)`);
    expect(refusal(edited((s) => (mask(s).distribution = { kind: 'mask', rate: 1 })))).toBe(`${at}: noise ${maskIndex} ('${node}'): rate 1 is not in [0, 1)`);
    expect(refusal(edited((s) => (mask(s).distribution = { kind: 'normal', std: 0.1 })))).toBe(`${at}: noise ${maskIndex} ('${node}'): the node draws 'mask' noise, not 'normal'`);
    expect(refusal(edited((s) => (mask(s).distribution = { kind: 'poisson', rate: 0.1 } as never)))).toBe(
      `${at}: noise ${maskIndex} ('${node}'): 'poisson' is not a distribution (one of normal, uniform, mask, dropout, salt_pepper)`,
    );
    expect(refusal(edited((s) => (mask(s).node = 'corrupt.x.9.missing')))).toBe(`${at}: noise ${maskIndex} ('corrupt.x.9.missing'): 'corrupt.x.9.missing' is not a node`);
    expect(refusal(edited((s) => (mask(s).node = denoising.nodes.find((n) => n.stage === 'encoder')!.id)))).toMatch(/: the node draws no noise in this stage$/);
    expect(refusal(edited((s) => (mask(s).shape = [null, 3])))).toMatch(new RegExp(`noise ${maskIndex} \\('${node.replace(/\./g, '\\.')}'\\): its shape is \\[null,\\d+\\], not \\[null,3\\]$`));
    expect(refusal(edited((s) => s.noise!.splice(maskIndex, 1)))).toBe(`${at}: the node '${node}' draws noise in this stage, which the plan does not list`);
    expect(refusal(edited((s) => (s.update!.optimizer.lr = -0.01)))).toBe(`${at}: the optimizer's lr -0.01 is not positive`);
    expect(refusal(edited((s) => (s.update!.optimizer.weightDecay = -1)))).toBe(`${at}: the optimizer's weightDecay -1 is negative`);
    expect(refusal(edited((s) => s.update!.decayed.push('no.such.kernel')))).toBe(`${at}: weight decay names 'no.such.kernel', which is not a parameter`);
    // the schema, which the runtime reads an IR file through, refuses a distribution without its parameter
    const bare = validateIR(edited((s) => (mask(s).distribution = { kind: 'mask' } as never)));
    expect(bare.ok).toBe(false);
  });
});

describe('`ae train` trains the noise and the update the plan writes', () => {
  const model = (rate: number, lr: number | string, decay: number) => `model m {
  input x: [12] in [0, 1]
  corrupt x with mask(p = ${rate})
  encoder { dense(8, act = relu) }
  latent z = dense(3)
  decoder = mirror(encoder)
  output x_hat = sigmoid
  loss = mse(x_hat, x)
  train { epochs = 2, batch = 8, seed = 3, optimizer = adam(lr = ${lr}, weight_decay = ${decay}) }
}
`;
  const compile = (source: string): IRModel => {
    const analysis = analyzeSource(source, 'm.ae');
    expect(analysis.irs, JSON.stringify(analysis.diagnostics)).toHaveLength(1);
    return analysis.irs[0]!;
  };
  const weights = (dir: string): Record<string, number[]> => {
    const { tensors } = decodeSafetensors(readFileSync(join(dir, 'checkpoint', 'weights.safetensors')));
    return Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, Array.from(t.data)]));
  };

  it.each(['cpu', 'onnx'])('on %s: an IR whose plan says mask rate 0.5, lr 0.02 halved every epoch, weight decay 0.1 trains as the model written with them', async (backend) => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'x.npy'), encodeNpy(uniformDataset(32, 12, 5).x, [32, 12]));
    const written = compile(model(0.3, 0.01, 0));
    const edited = JSON.parse(JSON.stringify(written)) as IRModel;
    const stage = edited.plan![0]!;
    stage.noise![0]!.distribution = { kind: 'mask', rate: 0.5 };
    stage.update!.optimizer = { ...stage.update!.optimizer, lr: 0.02, weightDecay: 0.1 };
    stage.update!.lrSchedule = { kind: 'step', every: 1, factor: 0.5, warmup: 0 };
    writeFileSync(join(cwd, 'written.ir.json'), JSON.stringify(written));
    writeFileSync(join(cwd, 'edited.ir.json'), JSON.stringify(edited));
    writeFileSync(join(cwd, 'source.ae'), model(0.5, 'step(0.02, every = 1, factor = 0.5)', 0.1));
    let stderr = '';
    const io = { stdout: () => {}, stderr: (s: string) => (stderr += s), isTTY: false, cwd };
    for (const [file, out] of [['written.ir.json', 'written'], ['edited.ir.json', 'edited'], ['source.ae', 'source']] as const) {
      expect(await main(['train', file, '--data', 'x.npy', '--out', out, '--backend', backend, '--threads', '1', '--quiet'], io), stderr).toBe(0);
    }
    for (const out of ['written', 'edited', 'source']) expect(JSON.parse(readFileSync(join(cwd, out, 'run.json'), 'utf8')), out).toMatchObject({ backend });
    // the edited plan trains exactly as the source with those values; the plan as compiled does not
    expect(weights(join(cwd, 'edited'))).toEqual(weights(join(cwd, 'source')));
    expect(weights(join(cwd, 'written'))).not.toEqual(weights(join(cwd, 'source')));
    // each edit alone changes the run too (the noise and the update are each read from the plan)
    const onlyNoise = JSON.parse(JSON.stringify(written)) as IRModel;
    onlyNoise.plan![0]!.noise![0]!.distribution = { kind: 'mask', rate: 0.5 };
    writeFileSync(join(cwd, 'noise.ir.json'), JSON.stringify(onlyNoise));
    expect(await main(['train', 'noise.ir.json', '--data', 'x.npy', '--out', 'noise', '--backend', backend, '--threads', '1', '--quiet'], io), stderr).toBe(0);
    const [w, n, e] = ['written', 'noise', 'edited'].map((dir) => weights(join(cwd, dir)));
    expect(n).not.toEqual(w);
    expect(n).not.toEqual(e);
  }, 60_000);

  it('draws the seeds in the written order, the same on tfjs and onnx', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'x.npy'), encodeNpy(uniformDataset(32, 12, 6).x, [32, 12]));
    const written = compile(model(0.3, 0.01, 0).replace('corrupt x with mask(p = 0.3)', 'corrupt x with gaussian(std = 0.2) then mask(p = 0.3)'));
    expect(written.plan![0]!.noise!.map((n) => n.distribution.kind)).toEqual(['normal', 'mask']);
    const reversed = JSON.parse(JSON.stringify(written)) as IRModel;
    reversed.plan![0]!.noise!.reverse();
    writeFileSync(join(cwd, 'written.ir.json'), JSON.stringify(written));
    writeFileSync(join(cwd, 'reversed.ir.json'), JSON.stringify(reversed));
    let stderr = '';
    const io = { stdout: () => {}, stderr: (s: string) => (stderr += s), isTTY: false, cwd };
    for (const [file, backend] of [['written', 'cpu'], ['reversed', 'cpu'], ['reversed', 'onnx']] as const) {
      expect(await main(['train', `${file}.ir.json`, '--data', 'x.npy', '--out', `${file}-${backend}`, '--backend', backend, '--threads', '1', '--quiet'], io), stderr).toBe(0);
    }
    const [w, cpu, onnx] = ['written-cpu', 'reversed-cpu', 'reversed-onnx'].map((dir) => weights(join(cwd, dir)));
    expect(cpu).not.toEqual(w);
    // the engines round differently: the same draws give weights equal to float noise
    for (const [name, values] of Object.entries(cpu!)) {
      const worst = Math.max(...values.map((v, i) => Math.abs(v - onnx![name]![i]!)));
      expect(worst, name).toBeLessThan(1e-5);
    }
    const moved = Math.max(...Object.entries(cpu!).flatMap(([name, values]) => values.map((v, i) => Math.abs(v - w![name]![i]!))));
    expect(moved).toBeGreaterThan(1e-3);
  }, 60_000);
});
