// Per-step cost of the training loop on small models, where overhead (kernel launches, reads from
// the backend, batch assembly) rather than arithmetic sets the pace: a 16-3-16 linear autoencoder at
// batch 100 and the README's main job (examples/mnist/mnist.ae) at batch 128, on seeded random data.
// Each repetition trains one epoch through train() (the loop `ae train` runs) and takes the epoch's
// time from metrics.jsonl (which excludes validation and the checkpoint) over its steps; the median
// of the repetitions is printed with the tfjs kernel launches one step makes.
//
//   node --import tsx bench/step-overhead.ts [--backend wasm|cpu] [--reps 5] [--steps 200]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { analyzeSource } from '../compiler/analyze.js';
import type { IRModel } from '../ir/types.js';
import { selectBackend, type BackendName } from '../runtime/backends/index.js';
import type { Dataset } from '../runtime/data/index.js';
import { Rng } from '../runtime/program/rng.js';
import { train } from '../runtime/train/train.js';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'wasm' }, reps: { type: 'string', default: '5' }, steps: { type: 'string', default: '200' } } });
const reps = Number(values.reps);
const steps = Number(values.steps);

const TINY = `model tiny {
  input x: [16]
  encoder { }
  latent z = dense(3)
  decoder { dense(16) }
  output x_hat = linear
  loss = mse(x_hat, x)
  train { optimizer = adam(lr = 1e-3), batch = 100, epochs = 1 }
}
`;

function compile(source: string, file: string): IRModel {
  const analysis = analyzeSource(source, file, { cwd: process.cwd(), readFile: () => undefined });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || analysis.irs.length !== 1) throw new Error(`${file}: ${errors.map((d) => d.message).join('; ')}`);
  const ir = analysis.irs[0]!;
  // One epoch per repetition, on in-memory data (no download, no validation).
  return { ...ir, phases: ir.phases.map((p) => ({ ...p, epochs: 1, data: undefined, validate: undefined })) as IRModel['phases'] };
}

function randomData(count: number, shape: number[]): Dataset {
  const width = shape.reduce((a, b) => a * b, 1);
  const random = new Rng(3);
  const x = new Float32Array(count * width);
  for (let i = 0; i < x.length; i++) x[i] = random.next();
  return { name: 'random', x, sampleShape: shape, count } as Dataset;
}

async function perStep(ir: IRModel): Promise<{ ms: number; kernels: number }> {
  const batch = ir.phases[0]!.batch;
  const shape = ir.inputs[0]!.shape.slice(1) as number[];
  const dataset = randomData(batch * steps, shape);
  const times: number[] = [];
  for (let rep = 0; rep <= reps; rep++) {
    const dir = mkdtempSync(join(tmpdir(), 'ae-step-'));
    const result = await train({ ir, runDir: dir, cwd: dir, dataset });
    result.program.dispose();
    const line = JSON.parse(readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n')[0]!) as { seconds: number };
    rmSync(dir, { recursive: true, force: true });
    if (rep > 0) times.push((line.seconds * 1000) / steps); // rep 0 warms up
  }
  times.sort((a, b) => a - b);
  // Kernel launches of one step: a 2-step run under the profiler less a 1-step run.
  const launches = async (count: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'ae-step-'));
    const profile = await tf.profile(async () => {
      const result = await train({ ir, runDir: dir, cwd: dir, dataset: randomData(batch * count, shape) });
      result.program.dispose();
    });
    rmSync(dir, { recursive: true, force: true });
    return profile.kernels.length;
  };
  const kernels = (await launches(2)) - (await launches(1));
  return { ms: times[Math.floor(times.length / 2)]!, kernels };
}

const selection = await selectBackend(values.backend as BackendName);
console.log(`backend ${selection.name}, ${reps} repetitions of ${steps} steps, median per step`);
const mnistFile = join(import.meta.dirname, '..', 'examples', 'mnist', 'mnist.ae');
for (const [name, ir] of [
  ['16-3-16 linear AE, batch 100', compile(TINY, 'tiny.ae')],
  ['examples/mnist/mnist.ae, batch 128', compile(readFileSync(mnistFile, 'utf8'), mnistFile)],
] as const) {
  const { ms, kernels } = await perStep(ir);
  console.log(`${name.padEnd(36)} ${ms.toFixed(3)} ms/step   ${kernels} kernel launches per step`);
}
