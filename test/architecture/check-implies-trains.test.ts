// The compiler plans, the runtime interprets: every model that `ae check` accepts compiles and
// trains one step of every stage (batch 2, on `cpu`) without an exception, through the runtime's
// own pieces in train()'s order: inputs, program, stages, optimiser, step (greedy layers fed their
// code). Over specs/, examples/ and token-level mutants of them (fixed seeds: a failure replays),
// kept when they check clean. Mutants past MAX_FLOPS multiply-adds per sample are left out (and not
// counted) so the test stays quick; the specs and examples all train.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import type { IRModel } from '../../ir/types.js';
import type { Dataset } from '../../runtime/data/index.js';
import { createOptimizer } from '../../runtime/optim/optimizer.js';
import { tidyValue } from '../../runtime/program/gradient.js';
import { buildProgram } from '../../runtime/program/program.js';
import { Rng } from '../../runtime/program/rng.js';
import { batchInputs, modelInputs } from '../../runtime/train/batches.js';
import { planStages } from '../../runtime/train/stages.js';
import { trainStep } from '../../runtime/train/step.js';
import { codeFor } from '../../runtime/train/validate.js';
import { mutateModel } from './model-mutants.js';
import { repositoryRoot, specFiles } from '../goldens/files.js';
import { useCpu } from '../runtime/setup.js';

const MUTANTS_WANTED = 2000;
const MAX_FLOPS = 300_000;
const BATCH = 2;

beforeAll(useCpu);

function aeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return aeFiles(path);
    return name.endsWith('.ae') ? [path] : [];
  });
}

const sources = [...specFiles('valid'), ...specFiles('ir'), ...aeFiles(join(repositoryRoot, 'examples'))].map((path) => ({
  path,
  text: readFileSync(path, 'utf8'),
}));

/** The IRs `ae check` accepts for this text (none when it reports an error), of one model if named. */
function checkedIRs(text: string, path: string, model?: string): IRModel[] | undefined {
  const analysis = analyzeSource(text, relative(repositoryRoot, path), { cwd: repositoryRoot, ...(model !== undefined ? { model } : {}) });
  if (analysis.diagnostics.some((d) => d.severity === 'error')) return undefined;
  return analysis.irs;
}

const withoutSources = (ir: IRModel): string => JSON.stringify(ir, (key, value) => (key === 'source' ? undefined : value));

/** Two samples in the input's range (labels below their class count). */
function tinyDataset(ir: IRModel, seed: number): Dataset {
  const rng = new Rng(seed);
  const input = ir.inputs.find((i) => i.kind !== 'label')!;
  const sampleShape = input.shape.slice(1).map((d) => d ?? 1);
  const width = sampleShape.reduce((a, b) => a * b, 1);
  const [low, high] = input.range ?? [0, 1];
  const x = Float32Array.from({ length: BATCH * width }, () => low + (high - low) * rng.next());
  const label = ir.inputs.find((i) => i.kind === 'label');
  return { name: 'tiny', count: BATCH, sampleShape, x, ...(label ? { labels: Int32Array.from({ length: BATCH }, (_, i) => i % (label.classes ?? 2)) } : {}) };
}

/** Multiply-adds per sample of the weighted layers (what a step costs on `cpu`). */
function flops(ir: IRModel): number {
  let total = 0;
  for (const node of ir.nodes) {
    const kernel = ir.parameters.find((p) => p.id === node.params?.kernel);
    if (!kernel) continue;
    const outputs = node.shape.slice(1, -1).reduce<number>((n, d) => n * (d ?? 1), 1);
    total += outputs * kernel.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

/** One step of every stage, as train() runs them; the error's text when something throws. */
function trainsOneStep(ir: IRModel, origin: string, seed: number): string | undefined {
  const program = buildProgram(ir, { seed });
  try {
    const inputs = modelInputs(ir);
    const dataset = tinyDataset(ir, seed);
    for (const stage of planStages(ir, 1)) {
      if (stage.trainable.length === 0) return `${origin} (${ir.model}): stage ${stage.name} has nothing to train`;
      const optimizer = createOptimizer(stage.phase.optimizer, new Set());
      try {
        const result = tidyValue(() => {
          const batch = batchInputs(dataset, inputs, null, 0, BATCH);
          const given = stage.greedy ? codeFor(program, batch, stage.greedy) : undefined;
          const step = trainStep({
            program,
            objective: stage.objective,
            optimizer,
            trainable: stage.trainable,
            inputs: batch,
            rng: new Rng(seed),
            ...(stage.greedy ? { nodes: stage.greedy.nodes, rename: stage.greedy.rename } : {}),
            ...(given ? { given } : {}),
          });
          return step;
        });
        if (!Number.isFinite(result.loss)) return `${origin} (${ir.model}): stage ${stage.name} loss ${result.loss}`;
      } finally {
        optimizer.dispose();
      }
    }
    return undefined;
  } catch (error) {
    return `${origin} (${ir.model}): ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`;
  } finally {
    program.dispose();
  }
}

describe('every model `ae check` accepts trains one step on cpu', () => {
  it('the specs and examples', () => {
    const failures: string[] = [];
    let models = 0;
    for (const { path, text } of sources) {
      const irs = checkedIRs(text, path);
      expect(irs, `${path} checks clean`).toBeDefined();
      for (const ir of irs!) {
        models++;
        const failure = trainsOneStep(ir, relative(repositoryRoot, path), models);
        if (failure) failures.push(failure);
      }
    }
    expect(failures).toEqual([]);
    expect(models).toBeGreaterThan(50);
  }, 300_000);

  it(`${MUTANTS_WANTED} clean mutants`, () => {
    const failures: string[] = [];
    // A clean mutant whose IR (source positions aside) was already trained needs no second run.
    const trainedIRs = new Set(sources.flatMap(({ path, text }) => checkedIRs(text, path)!.map(withoutSources)));
    // Each mutant is checked for one model of its file (`ae check --model`), starting from the
    // models that fit MAX_FLOPS (most mutants of a larger one would not).
    const bases = sources.flatMap(({ path, text }) => checkedIRs(text, path)!.filter((ir) => flops(ir) <= MAX_FLOPS).map((ir) => ({ path, text, model: ir.model })));
    const mutants = new Set<string>();
    let seed = 0;
    while (mutants.size < MUTANTS_WANTED && seed < MUTANTS_WANTED * 20) {
      seed++;
      const { path, text, model } = bases[seed % bases.length]!;
      const mutant = mutateModel(text, seed);
      if (mutant === text || mutants.has(`${model}\n${mutant}`)) continue;
      const [ir] = checkedIRs(mutant, path, model) ?? [];
      if (!ir || flops(ir) > MAX_FLOPS) continue;
      mutants.add(`${model}\n${mutant}`);
      const key = withoutSources(ir);
      if (trainedIRs.has(key)) continue;
      trainedIRs.add(key);
      const failure = trainsOneStep(ir, `${relative(repositoryRoot, path)} mutant ${seed} (model ${model})`, seed);
      if (failure) failures.push(failure);
    }
    expect(failures).toEqual([]);
    expect(mutants.size).toBe(MUTANTS_WANTED);
  }, 600_000);
});
