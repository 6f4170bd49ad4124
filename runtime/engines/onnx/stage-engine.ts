// Training one stage on ONNX Runtime: the stage's step graph (the compiler's, compiler/step/) in one session, one
// `run` per step, then the optimiser's update (update.ts) in place. The weights, the optimiser
// slots and the gradients live in one arena between steps: the weights are fed to each run as they
// are, the gradients written there by the run as preallocated outputs (no graph rebuilt, no copy).
// A step whose loss is not finite is not applied, as the tfjs step refuses its update. The
// program's tfjs variables (validation, checkpoints, every task) are brought up to date by sync().
// The noise and the update are the stage plan's (ir/noise.ts, ir/stage-update.ts).
import * as tf from '@tensorflow/tfjs-core';
import { stageCodebooks } from '../../../ir/codebook-upkeep.js';
import type { IRNoise } from '../../../ir/noise.js';
import type { StageGraph } from '../../../onnx/stage-graph.js';
import type { IRCodebookUpkeep, IRNode, IRTerm, Optimizer as OptimizerSpec } from '../../../ir/types.js';
import type { Dataset } from '../../data/index.js';
import type { Optimizer, OptimizerState } from '../../optim/optimizer.js';
import type { Program } from '../../program/program.js';
import type { Rng } from '../../program/rng.js';
import type { TensorMap } from '../../runs/index.js';
import { BatchFeeds } from './batch-feeds.js';
import { CodebookUpkeep } from './codebooks.js';
import { drawNoise } from './noise.js';
import type { OnnxRuntime, OrtSession } from './runtime.js';
import { optimizerSlots, UpdateArena } from './update.js';

export interface StageEngineSpec {
  program: Program;
  objective: readonly IRTerm[];
  trainable: readonly string[];
  optimizer: OptimizerSpec;
  /** Storage ids weight decay applies to (the plan's `update.decayed`). */
  decayed: readonly string[];
  /** The stage's draws (the plan's `noise`; default: derived from the graph). */
  noise?: readonly IRNoise[];
  /** The stage's codebook upkeep (the plan's `codebooks`; default: derived from the graph). */
  codebooks?: readonly IRCodebookUpkeep[];
  nodes?: readonly IRNode[];
  prefix?: readonly IRNode[];
  rename?: ReadonlyMap<string, string>;
}

export interface EngineStep {
  loss: number;
  terms: number[];
  /** Index of the first non-finite term (-1: the total), when the step was refused. */
  nonFinite?: number;
}

export class OnnxStageEngine {
  private readonly state = new Map<string, Float32Array>();
  private readonly slotNames: string[];
  /** Per trainable parameter: its shape, weights, gradient, slots and whether weight decay applies. */
  private readonly updates: { id: string; shape: number[]; weight: Float32Array; gradient: Float32Array; slots: Float32Array[]; decayed: boolean }[];
  /** The feeds that do not change between steps: the parameters' tensors over their arrays. */
  private readonly parameterFeeds: Record<string, unknown> = {};
  /** The outputs the run writes in place: each trainable parameter's gradient. */
  private readonly gradientOutputs: Record<string, unknown> = {};
  private readonly arena: UpdateArena;
  private readonly codebooks: CodebookUpkeep;
  private readonly batches: BatchFeeds;
  private stepCount = 0;
  private learningRate: number;

  private constructor(
    private readonly ort: OnnxRuntime,
    private readonly session: OrtSession,
    private readonly graph: StageGraph,
    private readonly spec: StageEngineSpec,
  ) {
    this.learningRate = spec.optimizer.lr;
    this.slotNames = optimizerSlots(spec.optimizer);
    const decayed = new Set(spec.decayed);
    const size = (id: string) => graph.parameters.find((p) => p.id === id)!.shape.reduce((a, b) => a * b, 1);
    this.arena = new UpdateArena([...graph.parameters.map((p) => size(p.id)), ...graph.trainable.flatMap((id) => Array<number>(this.slotNames.length + 1).fill(size(id)))]);
    for (const p of graph.parameters) {
      const values = this.arena.take(size(p.id));
      values.set(spec.program.variables.get(p.id)!.dataSync() as Float32Array);
      this.state.set(`param:${p.id}`, values);
      this.parameterFeeds[`param:${p.id}`] = ort.tensor(values, p.shape);
    }
    this.updates = graph.trainable.map((id) => {
      const parameter = graph.parameters.find((p) => p.id === id)!;
      const weight = this.state.get(`param:${id}`)!;
      const gradient = this.arena.take(weight.length);
      this.gradientOutputs[`grad:${id}`] = ort.tensor(gradient, parameter.shape);
      const slots = this.slotNames.map((slot) => {
        const values = this.arena.take(weight.length);
        this.state.set(`slot:${id}/${slot}`, values);
        return values;
      });
      return { id, shape: parameter.shape, weight, gradient, slots, decayed: decayed.has(id) };
    });
    this.codebooks = new CodebookUpkeep(graph, spec.codebooks ?? stageCodebooks(spec.nodes ?? spec.program.ir.nodes), spec.program, (id) => this.state.get(`param:${id}`)!);
    this.batches = new BatchFeeds(ort, graph);
  }

  /** An engine for `graph`, the stage's training-step graph the compiler derived from `spec`. */
  static async create(ort: OnnxRuntime, spec: StageEngineSpec, graph: StageGraph, threads: number): Promise<OnnxStageEngine> {
    const session = await ort.createSession(graph.model, threads, graph.nodeCount);
    return new OnnxStageEngine(ort, session, graph, spec);
  }

  /** One optimiser step on samples `order[start .. start + size)` of `dataset`, with the terms'
   *  weights of this epoch (`weights`, in objective order; scheduled coefficients change). */
  async step(dataset: Dataset, order: Int32Array | null, start: number, size: number, rng: Rng, weights: readonly number[] = this.spec.objective.map((t) => t.weight)): Promise<EngineStep> {
    const { graph } = this;
    const feeds: Record<string, unknown> = { ...this.parameterFeeds, ...this.batches.of(dataset, order, start, size) };
    const noise = drawNoise(graph.noise, graph.upkeep, size, rng);
    for (const [name, values] of noise.feeds) {
      const input = graph.noise.find((n) => n.inputs.includes(name))!;
      feeds[name] = this.ort.tensor(values, [size, ...input.shape.slice(1).map((d) => d ?? 1)]);
    }
    weights.forEach((weight, i) => (feeds[`weight:${i}`] = this.ort.tensor(Float32Array.of(weight), [])));
    const run = () => this.session.run(feeds, this.gradientOutputs);
    // a codebook seeded from this batch's encoder outputs is fed (in place) to a second run
    const out = await this.codebooks.seed(await run(), noise.codebookSeeds, run);
    // dead codes move inside the forward pass on tfjs: before the update, whatever the loss
    this.codebooks.restart(out, noise.codebookSeeds);
    // the forward pass's writes (moving statistics) happen whatever the loss, as on tfjs
    for (const id of graph.assigned) this.state.get(`param:${id}`)!.set(out.get(`assign:${id}`)!);
    const loss = out.get('loss')![0]!;
    const terms = Array.from({ length: graph.termCount }, (_, i) => out.get(`term:${i}`)![0]!);
    const bad = terms.findIndex((t) => !Number.isFinite(t));
    if (bad >= 0 || !Number.isFinite(loss)) return { loss, terms, nonFinite: bad };
    this.stepCount += 1;
    for (const update of this.updates) this.arena.apply(this.spec.optimizer, this.stepCount, this.learningRate, update);
    return { loss, terms };
  }

  /** Writes the trained weights into the program's variables. */
  sync(): void {
    for (const id of new Set([...this.graph.trainable, ...this.graph.assigned, ...this.codebooks.parameters])) {
      const variable = this.spec.program.variables.get(id)!;
      variable.assign(tf.tensor(this.state.get(`param:${id}`)!, variable.shape, 'float32'));
    }
  }

  /** The stage's optimiser as the loop and checkpoints see it (its slots live in this engine). */
  optimizer(): Optimizer {
    const engine = this;
    const { graph } = this;
    return {
      spec: this.spec.optimizer,
      get step() {
        return engine.stepCount;
      },
      get learningRate() {
        return engine.learningRate;
      },
      set learningRate(value: number) {
        engine.learningRate = value;
      },
      apply() {
        throw new Error('the onnx engine updates its weights inside its step graph');
      },
      async state(): Promise<OptimizerState> {
        const slots: TensorMap = {};
        for (const update of engine.updates) {
          engine.slotNames.forEach((slot, k) => (slots[`${update.id}/${slot}`] = { dtype: 'F32', shape: [...update.shape], data: update.slots[k]!.slice() }));
        }
        return { step: engine.stepCount, slots };
      },
      load(state: OptimizerState) {
        for (const [key, stored] of Object.entries(state.slots)) {
          const target = engine.state.get(`slot:${key}`);
          if (!target) throw new Error(`optimizer state: slot '${key}' is not one this stage keeps`);
          if (stored.data.length !== target.length) throw new Error(`optimizer state: slot '${key}' has ${stored.data.length} values, the parameter ${target.length}`);
          target.set(stored.data as ArrayLike<number>);
        }
        engine.stepCount = state.step;
      },
      dispose() {},
    };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
