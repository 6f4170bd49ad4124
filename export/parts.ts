// The nodes an inference graph needs: those the wanted outputs depend on, in IR (topological)
// order, with the nodes that run only in training (corruptions, dropout) still listed: each
// exporter turns them into the identity. A conditional model's label inputs (`encoder on x, y`,
// `decoder on z, y`) are inputs of the parts that read them, after the data (or the code).
import type { IRInput, IRModel, IRNode } from '../ir/types.js';
import { ExportError, type ModelPart } from './weights.js';

export interface GraphPart {
  /** The model input names (the data first, then the labels the part reads), or for the decoder
   *  alone the latent node id and the labels it reads. */
  inputs: string[];
  /** Output name → node id. */
  outputs: { name: string; node: string }[];
  nodes: IRNode[];
}

/** The input the model encodes and reconstructs: a tensor, or a table's encoded row. */
export function dataInput(ir: IRModel): IRInput {
  const input = ir.inputs.find((i) => i.kind !== 'label') ?? ir.inputs.find((i) => i.name === ir.outputs.target);
  if (!input) throw new ExportError(`model '${ir.model}' has no data input`);
  return input;
}

export function selectPart(ir: IRModel, part: ModelPart): GraphPart {
  const data = dataInput(ir).name;
  const labels = ir.inputs.filter((i) => i.kind === 'label').map((i) => i.name);
  const code = { name: 'code', node: ir.outputs.latent };
  const reconstruction = { name: 'reconstruction', node: ir.outputs.reconstruction };
  // A gaussian code (a VAE) also gives its posterior's mean and log-variance: the code itself is the
  // mean at inference, and a caller that samples, or scores by the ELBO, needs both.
  const moments = gaussianMoments(ir);
  const encoded = [code, ...moments];
  const withLabels = (first: string, nodes: IRNode[]): GraphPart['inputs'] => [first, ...labels.filter((label) => nodes.some((n) => n.inputs.includes(label)))];
  if (part === 'encoder') {
    const nodes = needed(ir, encoded.map((o) => o.node), new Set([data, ...labels]));
    return { inputs: withLabels(data, nodes), outputs: encoded, nodes };
  }
  if (part === 'decoder') {
    const nodes = needed(ir, [reconstruction.node], new Set([code.node, ...labels]), false);
    for (const node of nodes) {
      const other = node.inputs.find((id) => id !== code.node && !labels.includes(id) && !nodes.some((n) => n.id === id));
      if (other !== undefined) throw new ExportError(`the decoder cannot run alone: node '${node.id}' (${node.op}) reads '${other}' from the encoder side`);
      if ((node.op === 'unpool' || node.op === 'unpool1d') && node.attrs.mode === 'switches') {
        throw new ExportError(`the decoder cannot run alone: node '${node.id}' (${node.op}) needs the switches of encoder node '${node.attrs.switchesFrom}'`);
      }
    }
    return { inputs: withLabels(code.node, nodes), outputs: [reconstruction], nodes };
  }
  const outputs = [reconstruction, ...encoded];
  const nodes = needed(ir, outputs.map((o) => o.node), new Set([data, ...labels]));
  return { inputs: withLabels(data, nodes), outputs, nodes };
}

/** The mean and log-variance nodes of a gaussian latent, as outputs `mean` and `log_variance`. */
export function gaussianMoments(ir: IRModel): { name: string; node: string }[] {
  const latent = ir.nodes.find((n) => n.id === ir.outputs.latent);
  if (latent?.op !== 'gaussian_sample') return [];
  const [mean, logvar] = latent.inputs as [string, string];
  return [
    { name: 'mean', node: mean },
    { name: 'log_variance', node: logvar },
  ];
}

/** `switches`: also what an unpool's maxpool needs (the decoder alone checks those itself). */
function needed(ir: IRModel, wanted: string[], given: ReadonlySet<string>, switches = true): IRNode[] {
  const byId = new Map(ir.nodes.map((n) => [n.id, n]));
  const keep = new Set<string>();
  const visit = (id: string): void => {
    if (given.has(id) || keep.has(id)) return;
    const node = byId.get(id);
    if (!node) {
      if (ir.inputs.some((i) => i.name === id)) throw new ExportError(`this part of the model reads the input '${id}', which it does not take`);
      throw new ExportError(`unknown node '${id}'`);
    }
    keep.add(id);
    node.inputs.forEach(visit);
    if (switches && (node.op === 'unpool' || node.op === 'unpool1d') && node.attrs.switchesFrom !== undefined) visit(node.attrs.switchesFrom);
  };
  wanted.forEach(visit);
  return ir.nodes.filter((n) => keep.has(n.id));
}
