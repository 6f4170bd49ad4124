// `ae compile --step-graph DIR` (issue 18): the compiler writes each training stage's step graph,
// the very model the onnx engine runs for that stage. Checked here: one file per stage of the
// written plan (greedy layers, fine-tuning) with the stage's gradients and no others; the bytes
// the builder gives the engine; and that a file, run by ONNX Runtime on its own, gives the tfjs
// cpu reference's loss and the gradient of its own loss (central differences).
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepGraphLine } from '../../cli/commands/compile.js';
import { main } from '../../cli/main.js';
import { analyzeSource } from '../../compiler/analyze.js';
import { stageGraphs } from '../../compiler/step/stage-graphs.js';
import { stagesOf } from '../../ir/plan.js';
import type { IRModel } from '../../ir/types.js';
import { decodeModel } from '../../onnx/proto.js';
import { selectBackend } from '../../runtime/backends/index.js';
import { loadOnnxRuntime, type OnnxRuntime } from '../../runtime/engines/onnx/index.js';
import { buildProgram, type Program } from '../../runtime/program/program.js';
import { computeObjective } from '../../runtime/objective/objective.js';

const GREEDY = `model g {
  input x: [6] in [0, 1]
  corrupt x with mask(0.2)
  encoder { dense(5, act = sigmoid), dense(4, act = sigmoid), dense(3, act = sigmoid) }
  latent z = identity
  decoder = mirror(encoder, tied = true)
  output x_hat = sigmoid
  loss = bce(x_hat, x)
  train pretrain { schedule = greedy(epochs = 1) }
  train finetune { epochs = 1 }
}
`;

const PLAIN = `model p {
  input x: [5] in [0, 1]
  encoder { dense(4, act = tanh) }
  latent z = dense(2)
  decoder = mirror(encoder)
  output x_hat = sigmoid
  loss = mse(x_hat, x) + 0.01 * l2(z)
}
`;

let cwd = '';
let runtime: OnnxRuntime;
async function ae(...argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const code = await main(argv, { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), isTTY: false, cwd });
  return { code, ...out };
}
const compiled = (source: string): IRModel => {
  const analysis = analyzeSource(source, 'm.ae');
  expect(analysis.irs, JSON.stringify(analysis.diagnostics)).toHaveLength(1);
  return analysis.irs[0]!;
};
/** The objective's total on the tfjs cpu reference, in inference mode (the model draws no noise). */
const referenceLoss = (ir: IRModel, program: Program, x: tf.Tensor): number =>
  tf.tidy(() => computeObjective(ir.objective, ir, program.parameters, program.forward({ x }, { training: false })).total.dataSync()[0]!);
const names = (values: readonly { name: string }[]) => values.map((v) => v.name);

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'ae-step-graph-'));
  writeFileSync(join(cwd, 'g.ae'), GREEDY);
  writeFileSync(join(cwd, 'p.ae'), PLAIN);
  await selectBackend('cpu');
  const loaded = await loadOnnxRuntime();
  if (!loaded.ok) throw new Error(`onnxruntime-node does not load: ${loaded.why}`);
  runtime = loaded.runtime;
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('ae compile --step-graph', () => {
  it('writes one model per stage of the plan, each with exactly its stage’s gradients', async () => {
    const result = await ae('compile', 'g.ae', '--step-graph', 'steps', '-o', 'g.json');
    expect(result.code, result.stderr).toBe(0);
    const files = readdirSync(join(cwd, 'steps')).sort();
    expect(files).toEqual(['0-pretrain-layer0.onnx', '1-pretrain-layer1.onnx', '2-pretrain-layer2.onnx', '3-finetune.onnx']);
    const ir = JSON.parse(readFileSync(join(cwd, 'g.json'), 'utf8')) as IRModel;
    const plan = stagesOf(ir);
    if (!plan.ok) throw new Error(plan.message);
    const built = stageGraphs(ir);
    for (const [i, file] of files.entries()) {
      const bytes = new Uint8Array(readFileSync(join(cwd, 'steps', file)));
      expect(bytes).toEqual(built[i]!.graph.model);
      const graph = decodeModel(bytes).graph;
      const gradients = names(graph.output).filter((n) => n.startsWith('grad:')).map((n) => n.slice('grad:'.length));
      expect(gradients.sort()).toEqual([...plan.stages[i]!.trainable].sort());
      expect(names(graph.output).slice(0, 2)).toEqual(['loss', 'term:0']);
      // the greedy layers draw their mask; each is an input the engine feeds from its PRNG
      expect(names(graph.input).filter((n) => plan.stages[i]!.noise.some((d) => d.inputs.includes(n)))).toHaveLength(plan.stages[i]!.noise.flatMap((d) => d.inputs).length);
      await (await runtime.createSession(bytes, 1)).release();
    }
    // the tied decoder: a deeper layer feeds the layers below it frozen, never their gradients
    expect(built[1]!.graph.parameters.length).toBeGreaterThan(built[1]!.graph.trainable.length);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual(built.map(({ stage, graph, file }) => `${stepGraphLine(stage.name, graph)} → ${join('steps', file)}`));
    expect(result.stderr).toContain('stage `pretrain/layer1`: ');
  });

  it('gives, run on its own, the cpu reference’s loss and the gradient of that loss', async () => {
    expect((await ae('compile', 'p.ae', '--step-graph', 'plain')).code).toBe(0);
    const ir = compiled(PLAIN);
    const bytes = new Uint8Array(readFileSync(join(cwd, 'plain', '0-train.onnx')));
    const graph = decodeModel(bytes).graph;
    const program = buildProgram(ir, { seed: 3 });
    const batch = Float32Array.from({ length: 3 * 5 }, (_, i) => ((i * 7) % 11) / 11);
    const weights = new Map([...program.variables].map(([id, v]) => [id, Float32Array.from(v.dataSync() as Float32Array)]));
    const session = await runtime.createSession(bytes, 1);
    const run = async () => {
      const feeds: Record<string, unknown> = { x: runtime.tensor(batch, [3, 5]) };
      for (const input of names(graph.input)) {
        if (input.startsWith('param:')) feeds[input] = runtime.tensor(weights.get(input.slice(6))!, program.variables.get(input.slice(6))!.shape);
        if (input.startsWith('weight:')) feeds[input] = runtime.tensor(Float32Array.of(ir.objective[Number(input.slice(7))]!.weight), []);
      }
      return session.run(feeds);
    };
    try {
      const out = await run();
      const reference = referenceLoss(ir, program, tf.tensor2d(batch, [3, 5]));
      expect(out.get('loss')![0]).toBeCloseTo(reference, 5);
      const id = 'encoder.0.dense.kernel';
      const gradient = out.get(`grad:${id}`)!;
      const w = weights.get(id)!;
      for (const k of [0, 7, 13]) {
        const h = 1e-2;
        const at = w[k]!;
        w[k] = at + h;
        const up = (await run()).get('loss')![0]!;
        w[k] = at - h;
        const down = (await run()).get('loss')![0]!;
        w[k] = at;
        expect(gradient[k]).toBeCloseTo((up - down) / (2 * h), 3);
      }
    } finally {
      await session.release();
      program.dispose();
    }
  });

  it('refuses a file where the directory goes, and a directory whose parent does not exist', async () => {
    writeFileSync(join(cwd, 'taken'), 'x');
    const file = await ae('compile', 'p.ae', '--step-graph', 'taken');
    expect(file.code).toBe(2);
    expect(file.stderr).toContain("--step-graph 'taken' is a file");
    const orphan = await ae('compile', 'p.ae', '--step-graph', 'no/such/dir');
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toContain("the directory 'no/such' does not exist");
  });
});
