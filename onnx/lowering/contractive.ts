// The contractive penalty ‖∂z/∂x‖²_F in the step graph, the closed form runtime/objective/terms/
// contractive.ts computes on tfjs: along the path ir/contractive-path.ts checks (dense layers, with
// reshapes, corruptions and clips between them), the Jacobian's Gram matrix is propagated layer by
// layer, G_1 = W_1ᵀ W_1, G_l = W_lᵀ (D_{l−1} G_{l−1} D_{l−1}) W_l, and ‖J‖² = Σ_j d_{n,j}² G_n,jj.
// Its gradient comes from the primitives' rules like every other term's.
import { contractivePath } from '../../ir/contractive-path.js';
import type { ActivationSpec, IRModel, IRNode, IRTerm } from '../../ir/types.js';
import type { StepGraph, Sym } from '../autodiff/graph.js';
import * as p from '../autodiff/primitives.js';
import { transpose } from '../autodiff/spatial.js';

export interface ContractiveEnv {
  g: StepGraph;
  ir: IRModel;
  value(name: string): Sym;
  /** A dense node's kernel as the node sees it ([in, out]; a tied kernel transposed). */
  kernel(node: IRNode): Sym;
}

interface DenseLayer {
  kernel: Sym;
  /** f'(a) per sample and unit, [batch, out]. */
  slope: Sym;
}

export function contractive(term: IRTerm<'contractive'>, env: ContractiveEnv): Sym {
  const { g } = env;
  const layers = denseChain(term.args[0]!, term.args[1]!, env);
  const first = layers[0]!;
  let gram = p.gemm(g, first.kernel, first.kernel, true, false); // [h1, h1], shared by the batch
  let previous = first;
  for (const layer of layers.slice(1)) {
    const [hIn, hOut] = layer.kernel.shape as [number, number];
    const d = previous.slope;
    const scaled = p.mul(g, p.mul(g, gram, p.reshape(g, d, [null, hIn, 1])), p.reshape(g, d, [null, 1, hIn])); // D G D
    const right = p.reshape(g, p.gemm(g, p.reshape(g, scaled, [null, hIn]), layer.kernel, false, false), [null, hIn, hOut]); // (DGD) W
    const left = p.reshape(g, transpose(g, right, [0, 2, 1]), [null, hIn]); // Wᵀ(DGD) rows
    gram = p.reshape(g, p.gemm(g, left, layer.kernel, false, false), [null, hOut, hOut]);
    previous = layer;
  }
  const last = layers[layers.length - 1]!;
  const units = last.kernel.shape[1] as number;
  const eye = g.floats('eye', [units, units], Float32Array.from({ length: units * units }, (_, i) => (i % (units + 1) === 0 ? 1 : 0)));
  const diagonal = gram.shape.length === 2 ? p.reshape(g, p.reduceSum(g, p.mul(g, gram, eye), [1], false), [1, units]) : p.reduceSum(g, p.mul(g, gram, eye), [2], false);
  const perSample = p.reduceSum(g, p.mul(g, p.square(g, last.slope), diagonal), [-1], false);
  const total = p.meanAll(g, perSample);
  if (term.options.reduce === 'sum') return total;
  return p.div(g, total, g.scalar((first.kernel.shape[0] as number) * units));
}

/** The dense layers from the input to the code, first first (the path the compiler checked). */
function denseChain(codeId: string, inputName: string, env: ContractiveEnv): DenseLayer[] {
  const path = contractivePath(new Map(env.ir.nodes.map((n) => [n.id, n])), codeId, inputName);
  if (!path.ok) throw new Error(`contractive(${codeId}, ${inputName}): ${path.reason}`);
  return path.layers.map(({ dense, activation, output }) => ({ kernel: env.kernel(dense), slope: derivative(env.g, p.flatten(env.g, env.value(output)), activation) }));
}

/** f'(a) written with the output h = f(a); piecewise slopes are constants of the tape, as on tfjs. */
function derivative(g: StepGraph, h: Sym, spec: ActivationSpec): Sym {
  const one = g.scalar(1);
  switch (spec.fn) {
    case 'linear':
      return p.onesLike(g, h);
    case 'sigmoid':
      return p.mul(g, h, p.sub(g, one, h));
    case 'tanh':
      return p.sub(g, one, p.square(g, h));
    case 'relu':
      return p.positive(g, h);
    case 'leaky_relu':
      return p.add(g, g.scalar(spec.alpha ?? 0.2), p.mul(g, p.positive(g, h), g.scalar(1 - (spec.alpha ?? 0.2))));
    case 'elu': {
      const positive = p.positive(g, h);
      return p.add(g, positive, p.mul(g, p.sub(g, one, positive), p.add(g, h, one)));
    }
    case 'softplus':
      return p.sub(g, one, p.exp(g, p.neg(g, h)));
    default:
      throw new Error(`contractive: no closed form for a '${spec.fn}' code activation`);
  }
}
