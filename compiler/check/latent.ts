// The latent (LANGUAGE.md section 5) as nodes: binds its arguments and lets its registry entry
// (compiler/shapes/latents.ts) add its nodes to the graph through a LatentBuilder.
import type { LatentMember } from '../../grammar/ast.js';
import type { Shape } from '../../ir/types.js';
import { layerOps } from '../shapes/layers.js';
import { isLatentKind, latentKinds, latentOps, type LatentBuilder, type LatentKind } from '../shapes/latents.js';
import { bindArguments } from './bind.js';
import { bindContext, type ModelContext } from './context.js';
import type { BuiltLayer } from './graph.js';
import type { CheckedLatent } from './model.js';
import { message } from '../../diagnostics/message.js';
import { writtenName } from '../resolve/written.js';

export interface BuiltLatent {
  latent: CheckedLatent;
  /** The code the decoder reads. */
  out: { id: string; shape: Shape };
  /** The dense layer a mirror undoes (and ties to), when the latent has one. */
  dense?: BuiltLayer;
}

/** The latent's kind and arguments only, for a model whose encoder failed (no shape to build on). */
export function checkLatentNames(ctx: ModelContext, decl: LatentMember): void {
  const call = decl.value;
  const kind = latentKindOf(ctx, call);
  if (kind !== undefined) bindArguments(latentOps[kind].signature, call, `latent \`${kind}\``, bindContext(ctx));
}

/** The latent's kind; reports AE2003 (with did-you-mean) when its callee is none. */
function latentKindOf(ctx: ModelContext, call: LatentMember['value']): LatentKind | undefined {
  if (call.callee.kind === 'NameRef' && isLatentKind(call.callee.name)) return call.callee.name;
  const name = call.callee.kind === 'NameRef' ? call.callee.name : '';
  ctx.reporter.unknown('AE2003', call.callee, message('AE2003', { kind: 'latent', name: writtenName(call.callee) }), name, latentKinds, {
    file: ctx.file,
    notes: [`latents: ${latentKinds.join(', ')}`],
  });
  return undefined;
}

export function buildLatent(ctx: ModelContext, decl: LatentMember, input: { id: string; shape: Shape }, layer: number): BuiltLatent | undefined {
  const call = decl.value;
  const file = ctx.file;
  const kind = latentKindOf(ctx, call);
  if (kind === undefined) return undefined;
  const op = latentOps[kind];
  const args = bindArguments(op.signature, call, `latent \`${kind}\``, bindContext(ctx));
  if (!args) return undefined;
  const name = decl.name.name;
  const id = `latent.${name}`;
  const builder: LatentBuilder<BuiltLayer> = {
    input,
    dense: (suffix, units, act) =>
      ctx.graph.addLayer({ id: `${id}${suffix}`, opName: 'dense', op: layerOps.dense!, args: { units, act, bias: true }, input, stage: 'latent', at: call, file, layer }),
    node(ir, inputs, shape, params = []) {
      const paramIds = params.length > 0 ? ctx.graph.addParameters(id, params) : undefined;
      const nodeId = ctx.graph.addNode({ id, ir, inputs, shape, stage: 'latent', params: paramIds, layer, at: call, file });
      return { id: nodeId, shape };
    },
    report: (code, message, notes) => ctx.reporter.report(code, call, message, { file, notes }),
  };
  const built = op.build(builder, args);
  if (!built) return undefined;
  const { out, dense, width, ...facts } = built;
  const shape = dense?.shape ?? out.shape;
  const result: BuiltLatent = { latent: { name, kind, decl, width, shape, ...facts }, out };
  if (dense) result.dense = dense;
  return result;
}
