// Hand-written IR for runtime tests, independent of the compiler: small builders that emit exactly
// the contract in ir/types.ts.
import type {
  ActivationSpec,
  IRModel,
  IRNode,
  IRParameter,
  IRPhase,
  IRTerm,
  Initializer,
  Optimizer,
  ParameterRole,
} from '../../ir/types.js';

export function param(
  node: string,
  role: ParameterRole,
  shape: number[],
  init: Initializer,
  extra: Partial<IRParameter> = {},
): IRParameter {
  return { id: `${node}.${role}`, node, role, shape, init, trainable: true, ...extra };
}

export const act = (fn: ActivationSpec['fn']): ActivationSpec => (fn === 'leaky_relu' ? { fn, alpha: 0.2 } : { fn });

export function denseNode(
  id: string,
  input: string,
  units: number,
  activation: ActivationSpec,
  stage: IRNode['stage'],
  params: { kernel: string; bias?: string },
  extra: Partial<IRNode> = {},
): IRNode {
  return {
    id,
    op: 'dense',
    inputs: [input],
    attrs: { units, activation, useBias: params.bias !== undefined },
    shape: [null, units],
    stage,
    params,
    ...extra,
  } as IRNode;
}

export function node<N extends IRNode>(n: Omit<N, 'stage'> & { stage?: IRNode['stage'] }): IRNode {
  return { stage: 'encoder', ...n } as IRNode;
}

export const adam = (lr = 1e-3, weightDecay = 0): Optimizer => ({
  kind: 'adam',
  lr,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  weightDecay,
});

export function phase(objective: IRTerm[], overrides: Partial<IRPhase> = {}): IRPhase {
  return { name: 'train', optimizer: adam(), epochs: 2, batch: 16, seed: 1, freeze: [], objective, ...overrides };
}

export const mseTerm = (a = 'x_hat', b = 'x', weight = 1): IRTerm => ({
  fn: 'mse',
  weight,
  args: [a, b],
  options: { reduce: 'mean' },
});

export interface MlpOptions {
  inputWidth: number;
  hidden?: number[];
  code: number;
  activation?: ActivationSpec['fn'];
  codeActivation?: ActivationSpec['fn'];
  output?: ActivationSpec['fn'];
  tied?: boolean;
  corrupt?: IRNode[];
  objective?: IRTerm[];
  phases?: IRPhase[];
  range?: [number, number];
}

/**
 * A dense autoencoder x → hidden… → z → mirrored hidden… → x_hat, optionally tied, with the output
 * activation as its own node (`x_hat`) after the linear `decoder.out` (the logits for bce).
 */
export function mlpAutoencoder(o: MlpOptions): IRModel {
  const hidden = o.hidden ?? [];
  const a = o.activation ?? 'relu';
  const parameters: IRParameter[] = [];
  const nodes: IRNode[] = [...(o.corrupt ?? [])];
  let prev = nodes.length ? nodes[nodes.length - 1]!.id : 'x';
  const widths = [o.inputWidth, ...hidden, o.code];
  const encoderIds: string[] = [];
  for (let i = 0; i < hidden.length + 1; i++) {
    const isCode = i === hidden.length;
    const id = isCode ? 'z' : `encoder.${i}`;
    const init: Initializer = a === 'relu' && !isCode ? 'he_normal' : 'glorot_uniform';
    parameters.push(param(id, 'kernel', [widths[i]!, widths[i + 1]!], init), param(id, 'bias', [widths[i + 1]!], 'zeros'));
    nodes.push(
      denseNode(id, prev, widths[i + 1]!, act(isCode ? (o.codeActivation ?? 'linear') : a), isCode ? 'latent' : 'encoder', {
        kernel: `${id}.kernel`,
        bias: `${id}.bias`,
      }, { layer: i }),
    );
    encoderIds.push(id);
    prev = id;
  }
  for (let i = hidden.length; i >= 0; i--) {
    const id = i === 0 ? 'decoder.out' : `decoder.${i}`;
    const source = encoderIds[i]!;
    const kernel = o.tied
      ? param(id, 'kernel', [widths[i + 1]!, widths[i]!], 'glorot_uniform', { tiedTo: `${source}.kernel`, transpose: true })
      : param(id, 'kernel', [widths[i + 1]!, widths[i]!], i === 0 ? 'glorot_uniform' : a === 'relu' ? 'he_normal' : 'glorot_uniform');
    parameters.push(kernel, param(id, 'bias', [widths[i]!], 'zeros'));
    nodes.push(
      denseNode(id, prev, widths[i]!, act(i === 0 ? 'linear' : a), 'decoder', { kernel: `${id}.kernel`, bias: `${id}.bias` }, {
        layer: i,
      }),
    );
    prev = id;
  }
  nodes.push({ id: 'x_hat', op: 'activation', inputs: [prev], attrs: act(o.output ?? 'linear'), shape: [null, o.inputWidth], stage: 'output' } as IRNode);
  const objective = o.objective ?? [mseTerm()];
  return {
    irVersion: 2,
    model: 'mlp',
    inputs: [{ name: 'x', kind: 'tensor', shape: [null, o.inputWidth], dtype: 'float32', range: o.range ?? [0, 1] }],
    parameters,
    nodes,
    outputs: { reconstruction: 'x_hat', target: 'x', latent: 'z', named: { x_hat: 'x_hat', z: 'z' }, heads: {} },
    objective,
    phases: o.phases ?? [phase(objective)],
  };
}

/**
 * A model of one node `n` (op, attrs, output shape) on input `x`, with parameters given as values;
 * for per-op conformance tests. Returns the IR and the values to assign after buildProgram.
 */
export function singleNode(
  op: IRNode['op'],
  attrs: unknown,
  inputShape: (number | null)[],
  outputShape: (number | null)[],
  params: Partial<Record<ParameterRole, { shape: number[]; values: number[]; trainable?: boolean }>> = {},
  extraInputs: { name: string; shape: (number | null)[] }[] = [],
): { ir: IRModel; values: Record<string, { shape: number[]; values: number[] }> } {
  const parameters: IRParameter[] = [];
  const values: Record<string, { shape: number[]; values: number[] }> = {};
  const refs: Partial<Record<ParameterRole, string>> = {};
  for (const [role, p] of Object.entries(params) as [ParameterRole, { shape: number[]; values: number[]; trainable?: boolean }][]) {
    parameters.push(param('n', role, p.shape, 'zeros', { trainable: p.trainable ?? true }));
    values[`n.${role}`] = p;
    refs[role] = `n.${role}`;
  }
  const n = { id: 'n', op, inputs: ['x', ...extraInputs.map((i) => i.name)], attrs, shape: outputShape, stage: 'encoder', params: refs } as IRNode;
  return {
    ir: {
      irVersion: 2,
      model: 'single',
      inputs: [
        { name: 'x', kind: 'tensor', shape: inputShape, dtype: 'float32' },
        ...extraInputs.map((i) => ({ name: i.name, kind: 'tensor' as const, shape: i.shape, dtype: 'float32' as const })),
      ],
      parameters,
      nodes: [n],
      outputs: { reconstruction: 'n', target: 'x', latent: 'n', named: {}, heads: {} },
      objective: [],
      phases: [],
    },
    values,
  };
}
