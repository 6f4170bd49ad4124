// The objective's terms in the step graph, as runtime/objective/ computes them on tfjs: the same
// reductions (`mean` over every element; `sum` per sample, averaged over the batch), the same
// clipping of probabilities and the same stable form of bce from logits.
import type { IRModel, IRNode, IRTerm, IRTermFn } from '../../ir/types.js';
import { concat, split } from '../autodiff/axes.js';
import { contractive } from './contractive.js';
import type { StepGraph, Sym } from '../autodiff/graph.js';
import * as p from '../autodiff/primitives.js';
import { vqLoss } from './vq.js';

const EPSILON = 1e-7;

export interface TermEnv {
  g: StepGraph;
  ir: IRModel;
  /** A node id, input name or `as`/output name → its value. */
  value(name: string): Sym;
  /** A label input as one-hot floats [batch, classes]. */
  oneHot(name: string, classes: number): Sym;
  /** Every stored trainable kernel, once each (tied kernels share one). */
  kernels(): Sym[];
  /** A dense node's kernel as the node sees it ([in, out]; a tied kernel transposed). */
  kernel(node: IRNode): Sym;
}

type Term<F extends IRTermFn> = (term: IRTerm<F>, env: TermEnv) => Sym;

function reduce(g: StepGraph, elementwise: Sym, mode: 'mean' | 'sum'): Sym {
  if (mode === 'mean') return p.meanAll(g, elementwise);
  return p.div(g, p.reduceSum(g, elementwise, [], false), p.batchSize(g, elementwise));
}

const terms: { [F in IRTermFn]?: Term<F> } = {
  mse: (term, { g, value }) => reduce(g, p.square(g, p.sub(g, value(term.args[0]!), value(term.args[1]!))), term.options.reduce),
  l1: (term, { g, value }) => reduce(g, p.abs(g, value(term.args[0]!)), term.options.reduce),
  l2: (term, { g, value }) => reduce(g, p.square(g, value(term.args[0]!)), term.options.reduce),
  bce: (term, env) => {
    const { g } = env;
    const target = env.value(term.args[1]!);
    if (term.options.fromLogits !== undefined) {
      const l = env.value(term.options.fromLogits);
      // the sum over every element, divided as `reduce` divides: by their count, or by the batch
      const total = p.bceWithLogitsSum(g, l, target);
      return p.div(g, total, term.options.reduce === 'mean' ? p.countOf(g, l) : p.batchSize(g, l));
    }
    const q = p.clip(g, env.value(term.args[0]!), EPSILON, 1 - EPSILON);
    const one = g.scalar(1);
    const elements = p.neg(g, p.add(g, p.mul(g, target, p.log(g, q)), p.mul(g, p.sub(g, one, target), p.log(g, p.sub(g, one, q)))));
    return reduce(g, elements, term.options.reduce);
  },
  cross_entropy: (term, env) => {
    const { g } = env;
    const logProbabilities = term.options.fromLogits !== undefined ? p.logSoftmax(g, env.value(term.options.fromLogits)) : p.log(g, p.clip(g, env.value(term.args[0]!), EPSILON, 1));
    const classes = logProbabilities.shape[logProbabilities.shape.length - 1] as number;
    const perSample = p.neg(g, p.reduceSum(g, p.mul(g, env.oneHot(term.args[1]!, classes), logProbabilities), [-1], false));
    return reduce(g, perSample, term.options.reduce);
  },
  kl: (term, { g, value }) => {
    // −½ (1 + logvar − mean² − exp(logvar)) per latent unit
    const mean = value(term.options.mean);
    const logvar = value(term.options.logvar);
    const inner = p.sub(g, p.sub(g, p.add(g, g.scalar(1), logvar), p.square(g, mean)), p.exp(g, logvar));
    return reduce(g, p.mul(g, inner, g.scalar(-0.5)), term.options.reduce);
  },
  kl_sparsity: (term, { g, value }) => {
    const rho = term.options.rho;
    const rhoHat = p.clip(g, p.meanOverBatch(g, p.flatten(g, value(term.args[0]!))), 1e-6, 1 - 1e-6);
    // ρ log(ρ/ρ̂) + (1−ρ) log((1−ρ)/(1−ρ̂)) per unit
    const perUnit = p.add(
      g,
      p.mul(g, g.scalar(rho), p.log(g, p.div(g, g.scalar(rho), rhoHat))),
      p.mul(g, g.scalar(1 - rho), p.log(g, p.div(g, g.scalar(1 - rho), p.sub(g, g.scalar(1), rhoHat)))),
    );
    return term.options.reduce === 'sum' ? p.reduceSum(g, perUnit, [], false) : p.meanAll(g, perUnit);
  },
  contractive,
  vq_loss: (term, { g, value }) => vqLoss(g, value(term.args[0]!), value(term.args[1]!), term.options.commitment, (elementwise) => reduce(g, elementwise, term.options.reduce)),
  // A table: per column the squared error of a numeric slot, the cross-entropy of a categorical
  // column's logits against its one-hot target, [batch, columns]; read from the node `fromLogits`
  // names itself (not its published logits), as the tfjs term reads it.
  reconstruction: (term, { g, value }) => {
    const { columns, fromLogits } = term.options;
    const logits = split(g, value(fromLogits), -1, columns);
    const targets = split(g, value(term.args[1]!), -1, columns);
    const losses = columns.map((width, i) =>
      width === 1 ? p.square(g, p.sub(g, logits[i]!, targets[i]!)) : p.neg(g, p.reduceSum(g, p.mul(g, targets[i]!, p.logSoftmax(g, logits[i]!)), [-1], true)),
    );
    return reduce(g, concat(g, losses, -1), term.options.reduce);
  },
  weight_decay: (term, { g, kernels }) => {
    const all = kernels();
    if (all.length === 0) return g.scalar(0);
    const total = all.map((k) => p.reduceSum(g, p.square(g, k), [], false)).reduce((a, b) => p.add(g, a, b));
    if (term.options.reduce === 'sum') return total;
    const count = all.reduce((n, k) => n + k.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
    return p.div(g, total, g.scalar(count));
  },
  usage_kl: (term, { g, ir, value }) => {
    const node = ir.nodes.find((n) => n.id === term.args[0]);
    if (node?.op !== 'gumbel_onehot') throw new Error(`usage_kl(${term.args[0]}): not a onehot latent`);
    return usageKl(g, value(node.inputs[0]!), term.options.reduce);
  },
};

/** usage_kl as runtime/objective/terms/usage.ts computes it: KL(mean softmax over the batch ‖ uniform). */
export function usageKl(g: StepGraph, logits: Sym, mode: 'mean' | 'sum'): Sym {
  const k = logits.shape[logits.shape.length - 1] as number;
  const mean = p.meanOverBatch(g, p.softmax(g, logits.shape.length === 2 ? logits : p.reshape(g, logits, [null, k])));
  const perCluster = p.mul(g, mean, p.log(g, p.mul(g, p.clip(g, mean, 1e-12, 1), g.scalar(k))));
  return mode === 'sum' ? p.reduceSum(g, perCluster, [], false) : p.meanAll(g, perCluster);
}

export function lowerTerm(term: IRTerm, env: TermEnv): Sym {
  const lower = terms[term.fn] as Term<IRTermFn> | undefined;
  if (!lower) throw new Error(`the onnx engine has no lowering for the loss term '${term.fn}'`);
  return lower(term, env);
}

/** The term functions among `objective` this engine cannot lower yet. */
export function unsupportedTerms(objective: readonly IRTerm[]): string[] {
  return [...new Set(objective.filter((t) => !Object.hasOwn(terms, t.fn)).map((t) => t.fn))];
}
