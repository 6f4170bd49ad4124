// The training plan in the IR (`plan`): the compiler writes it, the runtime trains it as written.
// Every compiled model's written plan reads back as the plan derived from the IR; an IR without
// one (built by hand) gets the derived plan; a plan naming what the IR does not hold is refused
// with the stage and the id; and an edited plan is what `ae train` trains (the runtime plans
// nothing of its own).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile, analyzeSource } from '../../compiler/analyze.js';
import { planTraining, stagesOf, writtenPlan } from '../../ir/plan.js';
import { validateIR } from '../../ir/schema-validation.js';
import type { IRModel } from '../../ir/types.js';
import { planStages } from '../../runtime/train/stages.js';

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
