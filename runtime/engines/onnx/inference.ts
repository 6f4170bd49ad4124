// The program's inference-mode passes on ONNX Runtime: every task (eval, encode, reconstruct,
// score, sample, interpolate, search) and the validation during training call the program's
// forward pass, which hands them here (Program.delegateInference). One session per set of nodes
// and feeds, built on first use; the weights are read from the program's variables, so a pass
// always sees the current ones (validation after an epoch on the onnx stage engine, which syncs).
import * as tf from '@tensorflow/tfjs-core';
import type { IRNode, IRTerm } from '../../../ir/types.js';
import type { Dataset } from '../../data/index.js';
import type { DelegatedEvaluation, EvaluatedLayer, ForwardOptions, InferenceDelegate, Program } from '../../program/program.js';
import { BatchFeeds } from './batch-feeds.js';
import { buildInferenceGraph, type InferenceGraph } from '../../../onnx/lowering/inference-graph.js';
import type { OnnxRuntime, SyncOrtSession } from './runtime.js';
import type { StageGraph, StageGraphBuilder } from '../../../onnx/stage-graph.js';
import { unsupportedTerms } from '../../../onnx/lowering/terms.js';

interface Compiled {
  graph: InferenceGraph;
  session: SyncOrtSession;
}

export class OnnxInference implements InferenceDelegate {
  private readonly compiled = new Map<string, Compiled>();
  /** Evaluation graphs by objective (its terms without their weights, which are fed) and layer. */
  private readonly evaluations = new Map<string, { graph: StageGraph; session: SyncOrtSession }>();
  /** Each parameter's values as last read, by the variable's data (an assignment replaces it). */
  private readonly weights = new Map<string, { data: object; values: Float32Array }>();

  constructor(
    private readonly runtime: OnnxRuntime,
    private readonly program: Program,
    private readonly threads: number,
    /** The compiler's builder of a stage's graph, here the objective's in inference mode. */
    private readonly buildStageGraph: StageGraphBuilder,
  ) {}

  forward(inputs: Record<string, tf.Tensor>, options: ForwardOptions): Map<string, tf.Tensor> {
    const nodes = options.nodes ?? this.program.ir.nodes;
    const fed = [...Object.entries(inputs), ...(options.given ?? [])];
    const { graph, session } = this.compile(nodes, fed);
    const feeds: Record<string, unknown> = {};
    for (const [name, tensor] of fed) feeds[name] = this.runtime.tensor(floats(tensor), tensor.shape);
    for (const parameter of graph.parameters) feeds[`param:${parameter.id}`] = this.runtime.tensor(this.weightsOf(parameter.id), parameter.shape);
    const results = session.run(feeds);
    const outputs = new Map<string, tf.Tensor>(fed);
    for (const [key, source] of graph.values) {
      if ('same' in source) outputs.set(key, outputs.get(source.same)!);
      else {
        const { data, dims } = results.get(source.output)!;
        outputs.set(key, graph.integers.has(key) ? tf.tensor(Int32Array.from(data), dims, 'int32') : tf.tensor(data, dims));
      }
    }
    return outputs;
  }

  // The loss of every batch in one run that hands back only numbers: validation through the forward
  // pass copied every node's value out and computed the terms on tfjs, 2.4 s an epoch for the
  // README's main job against 4 s of training.
  evaluate(dataset: Dataset, objective: readonly IRTerm[], batch: number, layer?: EvaluatedLayer): DelegatedEvaluation | undefined {
    if (unsupportedTerms(objective).length > 0) return undefined;
    const { graph, session } = this.evaluation(objective, layer);
    const fixed: Record<string, unknown> = {};
    for (const parameter of graph.parameters) fixed[`param:${parameter.id}`] = this.runtime.tensor(this.weightsOf(parameter.id), parameter.shape);
    objective.forEach((term, i) => (fixed[`weight:${i}`] = this.runtime.tensor(Float32Array.of(term.weight), [])));
    const sums: DelegatedEvaluation = { loss: 0, terms: objective.map(() => 0), squared: 0 };
    const batches = new BatchFeeds(this.runtime, graph);
    for (let start = 0; start < dataset.count; start += batch) {
      const size = Math.min(batch, dataset.count - start);
      const out = session.run({ ...fixed, ...batches.of(dataset, null, start, size) });
      sums.loss += out.get('loss')!.data[0]! * size;
      sums.terms.forEach((_, i) => (sums.terms[i]! += out.get(`term:${i}`)!.data[0]! * size));
      sums.squared += out.get('squared')?.data[0] ?? 0;
    }
    return sums;
  }

  dispose(): void {
    for (const { session } of [...this.compiled.values(), ...this.evaluations.values()]) session.release();
    this.compiled.clear();
    this.evaluations.clear();
    this.weights.clear();
  }

  private compile(nodes: readonly IRNode[], fed: [string, tf.Tensor][]): Compiled {
    const key = `${nodes.map((n) => n.id).join(',')}|${fed.map(([name, t]) => `${name}:${t.rank}`).join(',')}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      const graph = buildInferenceGraph({
        ir: this.program.ir,
        ...(nodes !== this.program.ir.nodes ? { nodes } : {}),
        feeds: fed.map(([name, tensor]) => ({ name, shape: [null, ...tensor.shape.slice(1)] })),
      });
      const session = this.runtime.createSyncSession(graph.model, this.threads, graph.nodeCount);
      if (typeof session === 'string') throw new Error(session);
      compiled = { graph, session };
      this.compiled.set(key, compiled);
    }
    return compiled;
  }

  private evaluation(objective: readonly IRTerm[], layer: EvaluatedLayer | undefined): { graph: StageGraph; session: SyncOrtSession } {
    const key = JSON.stringify([objective.map(({ weight: _, source: __, ...term }) => term), layer?.nodes.map((n) => n.id)]);
    let compiled = this.evaluations.get(key);
    if (!compiled) {
      const graph = this.buildStageGraph({ ir: this.program.ir, objective, trainable: [], evaluation: true, ...(layer ? { nodes: layer.nodes, prefix: layer.prefix, rename: layer.rename } : {}) });
      const session = this.runtime.createSyncSession(graph.model, this.threads, graph.nodeCount);
      if (typeof session === 'string') throw new Error(session);
      compiled = { graph, session };
      this.evaluations.set(key, compiled);
    }
    return compiled;
  }

  private weightsOf(id: string): Float32Array {
    const variable = this.program.variables.get(id)!;
    const data = variable.dataId as object;
    const known = this.weights.get(id);
    if (known?.data === data) return known.values;
    const values = variable.dataSync() as Float32Array;
    this.weights.set(id, { data, values });
    return values;
  }
}

/** A fed tensor's values as floats (a label input's class indices included). */
function floats(tensor: tf.Tensor): Float32Array {
  const values = tensor.dataSync();
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}
