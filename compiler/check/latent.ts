// The latent (LANGUAGE.md section 5) as nodes: a dense code, the encoder output itself, a VAE's two
// dense heads and sampler, a VQ codebook, straight-through bits, or a Gumbel one-hot.
import type { LatentMember } from '../../grammar/ast.js';
import type { ActivationSpec, Shape } from '../../ir/types.js';
import { bindArguments } from './bind.js';
import { elementCount, formatShape, lastDim } from '../shapes/dims.js';
import { layerOps } from '../shapes/layers.js';
import { isLatentKind, latentKinds, latentSignatures } from '../shapes/latents.js';
import type { BoundArgs } from '../shapes/signature.js';
import { bindContext, type ModelContext } from './context.js';
import type { BuiltLayer } from './graph.js';
import type { CheckedLatent } from './model.js';

export interface BuiltLatent {
  latent: CheckedLatent;
  /** The code the decoder reads. */
  out: { id: string; shape: Shape };
  /** The dense layer a mirror undoes (and ties to), when the latent has one. */
  dense?: BuiltLayer;
}

export function buildLatent(ctx: ModelContext, decl: LatentMember, input: { id: string; shape: Shape }, layer: number): BuiltLatent | undefined {
  const call = decl.value;
  const file = ctx.file;
  if (call.callee.kind !== 'NameRef' || !isLatentKind(call.callee.name)) {
    const name = call.callee.kind === 'NameRef' ? call.callee.name : '';
    ctx.reporter.unknown('AE2003', call.callee, `unknown latent \`${name}\``, name, latentKinds, {
      file,
      notes: [`latents: ${latentKinds.join(', ')}`],
    });
    return undefined;
  }
  const kind = call.callee.name;
  const args = bindArguments(latentSignatures[kind], call, `latent \`${kind}\``, bindContext(ctx));
  if (!args) return undefined;
  const name = decl.name.name;
  const id = `latent.${name}`;
  const dense = (nodeId: string, units: number, act: ActivationSpec) => {
    const denseArgs: BoundArgs = { units, act, bias: true };
    return ctx.graph.addLayer({ id: nodeId, opName: 'dense', op: layerOps.dense!, args: denseArgs, input, stage: 'latent', at: call, file, layer });
  };
  const base = { name, kind, decl };
  switch (kind) {
    case 'identity': {
      const width = elementCount(input.shape);
      return { latent: { ...base, width, shape: input.shape }, out: input };
    }
    case 'dense': {
      const built = dense(id, args.units as number, args.act as ActivationSpec);
      if (!built) return undefined;
      const activation = args.act as ActivationSpec;
      return { latent: { ...base, width: args.units as number, shape: built.shape, activation }, out: { id: built.id, shape: built.shape }, dense: built };
    }
    case 'gaussian': {
      const units = args.units as number;
      const mean = dense(`${id}.mean`, units, { fn: 'linear' });
      const logvar = mean && dense(`${id}.logvar`, units, { fn: 'linear' });
      if (!mean || !logvar) return undefined;
      const sample = ctx.graph.addNode({ id, op: 'gaussian_sample', inputs: [mean.id, logvar.id], attrs: {}, shape: mean.shape, stage: 'latent', layer, at: call, file });
      return {
        latent: { ...base, width: units, shape: mean.shape, meanNodeId: mean.id, logvarNodeId: logvar.id },
        out: { id: sample, shape: mean.shape },
        dense: mean,
      };
    }
    case 'vq': {
      const codes = args.codes as number;
      const dim = args.dim as number;
      const channels = lastDim(input.shape);
      if (channels !== null && channels !== dim) {
        ctx.reporter.report('AE3011', call, `\`vq\` with dim = ${dim} needs the encoder's last dimension to be ${dim}, but it gives ${formatShape(input.shape)}`, {
          file,
          notes: [`end the encoder with ${dim} units or channels, or use \`dim = ${channels}\``],
        });
        return undefined;
      }
      const params = ctx.graph.addParameters(id, [{ role: 'codebook', shape: [codes, dim], init: 'uniform_unit', trainable: true }]);
      const node = ctx.graph.addNode({
        id,
        op: 'vector_quantize',
        inputs: [input.id],
        attrs: { codes, dim, commitment: args.commitment },
        shape: input.shape,
        stage: 'latent',
        params,
        layer,
        at: call,
        file,
      });
      return {
        latent: { ...base, width: dim, shape: input.shape, codes, commitment: args.commitment as number },
        out: { id: node, shape: input.shape },
      };
    }
    case 'binary': {
      // The binarizer reads logits: a bit is 1 where sigmoid(logit) > 0.5 (a Bernoulli sample of it
      // when stochastic), with the sigmoid's gradient passed straight through. A sigmoid here would
      // make every logit positive and every bit 1.
      const logits = dense(`${id}.logits`, args.units as number, { fn: 'linear' });
      if (!logits) return undefined;
      const node = ctx.graph.addNode({ id, op: 'binarize', inputs: [logits.id], attrs: { stochastic: args.stochastic }, shape: logits.shape, stage: 'latent', layer, at: call, file });
      return { latent: { ...base, width: args.units as number, shape: logits.shape }, out: { id: node, shape: logits.shape }, dense: logits };
    }
    case 'onehot': {
      const logits = dense(`${id}.logits`, args.units as number, { fn: 'linear' });
      if (!logits) return undefined;
      const node = ctx.graph.addNode({
        id,
        op: 'gumbel_onehot',
        inputs: [logits.id],
        attrs: { temperature: args.temperature, hard: args.hard },
        shape: logits.shape,
        stage: 'latent',
        layer,
        at: call,
        file,
      });
      return { latent: { ...base, width: args.units as number, shape: logits.shape }, out: { id: node, shape: logits.shape }, dense: logits };
    }
  }
}
