// The noise a training stage draws: every random draw of its forward pass in training (the
// corruptions, dropout, the reparameterisation's ε, stochastic bits, Gumbel noise), one entry per
// drawing node in node order, written into the plan (`plan[i].noise`). Each engine draws one seed
// per entry from the epoch's seeded PRNG, in the written order, before the step's forward pass, and
// computes the entry's distribution from it with the same tfjs random op (so every engine sees the
// same draws). The entry's parameters (a mask's rate, a gaussian's std) are what the step draws
// with: an edited plan trains with its own values. Which nodes draw, their inputs' names and shapes
// follow from the graph; `checkNoise` refuses a plan that says otherwise.
import { opTraits } from './op-rules.js';
import type { Dimension, IRModel, IRNode, IROp, Shape } from './types.js';

/**
 * What one node's noise inputs hold. `normal`: N(0, std²), added. `uniform`: u in [low, 1)
 * (stochastic bits compare with it; Gumbel noise is −log(−log u)). `mask`: 1 kept, 0 with
 * probability rate, multiplied. `dropout`: the inverted-dropout multiplier, 0 with probability rate
 * and 1/(1 − rate) otherwise. `salt_pepper`: three masks from one uniform u: keep (u ≥ rate), low
 * (u < rate/2) and high (rate/2 ≤ u < rate).
 */
export type NoiseDistribution =
  | { kind: 'normal'; std: number }
  | { kind: 'uniform'; low: number }
  | { kind: 'mask'; rate: number }
  | { kind: 'dropout'; rate: number }
  | { kind: 'salt_pepper'; rate: number };

export type NoiseKindName = NoiseDistribution['kind'];

/** One node's draw in a stage's plan. */
export interface IRNoise {
  /** The node that reads it. */
  node: string;
  /** The step's named noise inputs it fills (`noise:<node>:<name>`; salt-and-pepper fills three). */
  inputs: string[];
  distribution: NoiseDistribution;
  /** Shaped like the value the node draws for, batch first as `null`. */
  shape: Shape;
}

/** The draw of an op in training, from its attributes (none: the node draws nothing). */
type NoiseRule<Op extends IROp> = (node: IRNode<Op>) => { distribution: NoiseDistribution; names?: string[] } | null;

/** One rule per op with the `stochastic` trait (test/ir/written-plan.test.ts checks the two agree). */
const noiseRules: { [Op in IROp]?: NoiseRule<Op> } = {
  corrupt_gaussian: (node) => ({ distribution: { kind: 'normal', std: node.attrs.std } }),
  corrupt_mask: (node) => ({ distribution: { kind: 'mask', rate: node.attrs.rate } }),
  corrupt_salt_pepper: (node) => ({ distribution: { kind: 'salt_pepper', rate: node.attrs.rate }, names: ['keep', 'low', 'high'] }),
  corrupt_dropout: (node) => (node.attrs.rate > 0 ? { distribution: { kind: 'dropout', rate: node.attrs.rate } } : null),
  dropout: (node) => (node.attrs.rate > 0 ? { distribution: { kind: 'dropout', rate: node.attrs.rate } } : null),
  gaussian_sample: () => ({ distribution: { kind: 'normal', std: 1 } }),
  binarize: (node) => (node.attrs.stochastic ? { distribution: { kind: 'uniform', low: 0 } } : null),
  gumbel_onehot: () => ({ distribution: { kind: 'uniform', low: 1e-10 } }),
};

/** The ops that have a noise rule (for the test that every stochastic op has one). */
export const opsWithNoise = Object.keys(noiseRules) as IROp[];

function ruleOf<Op extends IROp>(node: IRNode<Op>): ReturnType<NoiseRule<Op>> {
  const rule = noiseRules[node.op] as NoiseRule<Op> | undefined;
  return rule ? rule(node) : null;
}

/** Every value's shape by id (inputs and nodes): built once per IR, for `stageNoise`. */
export function shapeLookup(ir: IRModel): ReadonlyMap<string, readonly Dimension[]> {
  return new Map<string, readonly Dimension[]>([...ir.inputs.map((i) => [i.name, i.shape] as const), ...ir.nodes.map((n) => [n.id, n.shape] as const)]);
}

/**
 * The draws of a stage that runs `nodes` in training, reads served as `rename` says (a greedy
 * layer's corruption chain reads its code): one entry per drawing node, in node order. `shapes`:
 * shapeLookup(ir), passed in where many stages are planned (a deep greedy schedule).
 */
export function stageNoise(ir: IRModel, nodes: readonly IRNode[], rename?: ReadonlyMap<string, string>, shapes: ReadonlyMap<string, readonly Dimension[]> = shapeLookup(ir)): IRNoise[] {
  const draws: IRNoise[] = [];
  for (const node of nodes) {
    const rule = ruleOf(node);
    if (!rule) continue;
    // every stochastic op draws for its first input's value (a latent's mean, the corrupted input)
    const read = node.inputs[0]!;
    const shape = shapes.get(rename?.get(read) ?? read) ?? node.shape;
    draws.push({ node: node.id, inputs: (rule.names ?? ['draw']).map((name) => `noise:${node.id}:${name}`), distribution: rule.distribution, shape: [...shape] });
  }
  return draws;
}

/** Why a distribution's parameters cannot be drawn, or undefined. */
function badParameters(d: NoiseDistribution): string | undefined {
  const finite = Object.entries(d).find(([key, value]) => key !== 'kind' && (typeof value !== 'number' || !Number.isFinite(value)));
  if (finite) return `${finite[0]} ${String(finite[1])} is not a finite number`;
  switch (d.kind) {
    case 'normal':
      return d.std < 0 ? `std ${d.std} is negative` : undefined;
    case 'uniform':
      return d.low < 0 || d.low >= 1 ? `low ${d.low} is not in [0, 1)` : undefined;
    case 'mask':
    case 'dropout':
    case 'salt_pepper':
      return d.rate < 0 || d.rate >= 1 ? `rate ${d.rate} is not in [0, 1)` : undefined;
  }
}

/**
 * Why a stage's written noise does not fit the stage, or undefined: it must name the nodes that
 * draw (as `derived`, from the graph), each with its op's distribution and parameters that can be
 * drawn, the inputs and shape the graph gives it. The order is the plan's own.
 */
export function checkNoise(written: readonly IRNoise[], derived: readonly IRNoise[], nodes: ReadonlySet<string> | ReadonlyMap<string, unknown>): string | undefined {
  const expected = new Map(derived.map((d) => [d.node, d]));
  const seen = new Set<string>();
  for (const [index, draw] of written.entries()) {
    const at = `noise ${index} ('${draw.node}')`;
    if (!nodes.has(draw.node)) return `${at}: '${draw.node}' is not a node`;
    const want = expected.get(draw.node);
    if (!want) return `${at}: the node draws no noise in this stage`;
    if (seen.has(draw.node)) return `${at}: the node's noise is listed twice`;
    seen.add(draw.node);
    const kinds: readonly string[] = ['normal', 'uniform', 'mask', 'dropout', 'salt_pepper'];
    if (!kinds.includes(draw.distribution?.kind)) return `${at}: '${String(draw.distribution?.kind)}' is not a distribution (one of ${kinds.join(', ')})`;
    if (draw.distribution.kind !== want.distribution.kind) return `${at}: the node draws '${want.distribution.kind}' noise, not '${draw.distribution.kind}'`;
    const keys = Object.keys(want.distribution).sort().join();
    if (Object.keys(draw.distribution).sort().join() !== keys) return `${at}: a '${want.distribution.kind}' distribution has the fields ${Object.keys(want.distribution).join(', ')}`;
    const bad = badParameters(draw.distribution);
    if (bad) return `${at}: ${bad}`;
    if (draw.inputs.join() !== want.inputs.join()) return `${at}: its inputs are ${want.inputs.join(', ')}, not ${draw.inputs.join(', ')}`;
    if (JSON.stringify(draw.shape) !== JSON.stringify(want.shape)) return `${at}: its shape is ${JSON.stringify(want.shape)}, not ${JSON.stringify(draw.shape)}`;
  }
  const missing = derived.find((d) => !seen.has(d.node));
  return missing ? `the node '${missing.node}' draws noise in this stage, which the plan does not list` : undefined;
}

/** Whether `op` is declared stochastic (draws in training for some attributes). */
export function isStochastic(op: IROp): boolean {
  return opTraits(op).stochastic === true;
}
