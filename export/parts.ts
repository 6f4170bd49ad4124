// The nodes an inference graph needs: those the wanted outputs depend on, in IR (topological)
// order, with the nodes that run only in training (corruptions, dropout) still listed: each
// exporter turns them into the identity.
import type { IRModel, IRNode } from '../ir/types.js';
import { asLatent } from '../ir/op-rules.js';
import { parseRef } from '../ir/outputs.js';
import { ExportError, type ModelPart } from './weights.js';

export interface GraphPart {
  /** The model input names, or the latent node id for the decoder alone. */
  inputs: string[];
  /** Output name → node id. */
  outputs: { name: string; node: string }[];
  nodes: IRNode[];
}

export function selectPart(ir: IRModel, part: ModelPart): GraphPart {
  const data = ir.inputs.find((i) => i.kind === 'tensor')?.name ?? ir.outputs.target;
  const code = { name: 'code', node: ir.outputs.latent };
  const reconstruction = { name: 'reconstruction', node: ir.outputs.reconstruction };
  // A gaussian code (a VAE) also gives its posterior's mean and log-variance: the code itself is the
  // mean at inference, and a caller that samples, or scores by the ELBO, needs both.
  const moments = gaussianMoments(ir);
  const encoded = [code, ...moments];
  if (part === 'encoder') return { inputs: [data], outputs: encoded, nodes: needed(ir, encoded.map((o) => o.node), new Set([data])) };
  if (part === 'decoder') {
    const nodes = needed(ir, [reconstruction.node], new Set([code.node]), false);
    for (const node of nodes) {
      const other = node.inputs.find((id) => id !== code.node && !nodes.some((n) => n.id === id));
      if (other === undefined) continue;
      const { node: from, output } = parseRef(other);
      if (output !== undefined) throw new ExportError(`the decoder cannot run alone: node '${node.id}' (${node.op}) needs the ${output} of encoder node '${from}'`);
      throw new ExportError(`the decoder cannot run alone: node '${node.id}' (${node.op}) reads '${other}' from the encoder side`);
    }
    return { inputs: [code.node], outputs: [reconstruction], nodes };
  }
  const outputs = [reconstruction, ...encoded];
  return { inputs: [data], outputs, nodes: needed(ir, outputs.map((o) => o.node), new Set([data])) };
}

/** The mean and log-variance nodes of a gaussian latent, as outputs `mean` and `log_variance`. */
export function gaussianMoments(ir: IRModel): { name: string; node: string }[] {
  const latent = asLatent(ir.nodes.find((n) => n.id === ir.outputs.latent), 'gaussian');
  if (!latent) return [];
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
    // A named output (an unpool's `<maxpool>:switches`) needs its node, except for the decoder alone.
    for (const input of node.inputs) {
      const { node: from, output } = parseRef(input);
      if (output === undefined) visit(input);
      else if (switches) visit(from);
    }
  };
  wanted.forEach(visit);
  return ir.nodes.filter((n) => keep.has(n.id));
}
