// `decoder = mirror(encoder, tied = ...)` by LANGUAGE.md section 4: for an encoder L1..Ln and a
// latent Lz the decoder is M(Lz), M(Ln), ..., M(L1); M(Li) maps back to Li's input shape and takes
// the activation of L(i-1) (M(Lz) that of Ln); the output activation follows as its own node.
// Tied: dense shares W transposed, conv ↔ deconv share the kernel (same tensor, see ir/types.ts).
import type { DecoderMember, MirrorSpec } from '../../grammar/ast.js';
import type { ActivationSpec, ParameterRole, Shape } from '../../ir/types.js';
import { LINEAR } from '../shapes/activations.js';
import { bindArguments } from './bind.js';
import { formatShape, sameShape } from '../shapes/dims.js';
import { layerOps } from '../shapes/layers.js';
import { bool, type BoundArgs, type Signature } from '../shapes/signature.js';
import { bindContext, type ModelContext } from './context.js';
import type { AddLayerRequest, BuiltLayer, Tie } from './graph.js';
import { recordsSwitches } from './stack.js';
import type { BuiltLatent } from './latent.js';
import { message } from '../../diagnostics/message.js';

const mirrorSignature: Signature = { name: 'mirror', args: [{ name: 'tied', type: bool, default: false }] };

interface MirrorStep {
  opName: string;
  args: BoundArgs;
  of: BuiltLayer;
  /** The shape it must give: the mirrored layer's input; absent for the first steps of a rule of several. */
  expected?: Shape;
  tieKernel?: { transpose: boolean };
  switchesOf?: BuiltLayer;
  layer?: number;
}

export interface MirroredDecoder {
  last: { id: string; shape: Shape };
  ok: boolean;
}

export function buildMirror(
  ctx: ModelContext,
  decoder: DecoderMember,
  spec: MirrorSpec,
  encoder: readonly BuiltLayer[],
  encoderLayers: readonly number[],
  latent: BuiltLatent,
  code: { id: string; shape: Shape },
  /** The shape the first encoder layer's mirror restores when that layer reads more than the
   *  reconstructed input (`encoder on x, y`): the input's alone. */
  reconstructs?: Shape,
): MirroredDecoder {
  const fail = { last: code, ok: false };
  if (spec.source.name !== 'encoder') {
    ctx.reporter.report('AE2018', spec.source, `only the encoder can be mirrored, not \`${spec.source.name}\``, {
      file: ctx.file,
      fix: { message: 'mirror the encoder', edits: [{ range: spec.source.range, newText: 'encoder' }] },
    });
    return fail;
  }
  const args = bindArguments(mirrorSignature, { kind: 'Call', callee: spec.source, args: spec.args, hasParens: true, range: spec.range }, '`mirror`', bindContext(ctx));
  if (!args) return fail;
  const tied = args.tied as boolean;
  if (tied) {
    // A layer whose weights no mirror can share: refused where it is written, not silently untied.
    const refused = encoder.find((layer) => layer.op.tieRefusal);
    if (refused) {
      ctx.reporter.report('AE3020', refused.at, message('AE3020', { op: refused.opName, reason: refused.op.tieRefusal! }), {
        file: refused.file,
        related: [{ message: 'tied here', range: spec.range, file: ctx.file }],
        notes: ['write `mirror(encoder)` (untied), or the decoder out'],
      });
      return fail;
    }
  }
  const steps = planMirror(encoder, encoderLayers, latent, reconstructs);
  let last = code;
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    if (step.switchesOf && !recordsSwitches(step.switchesOf)) {
      ctx.reporter.report('AE3007', step.of.at, message('AE3007', { op: 'maxpool', shape: formatShape(step.of.inputShape), reason: 'that takes an `unpool` with its switches, which needs stride = pool (windows that do not overlap)' }), {
        file: step.of.file,
        related: [{ message: 'mirrored here', range: decoder.range, file: ctx.file }],
        notes: ['drop the `stride` of this maxpool, or write the decoder out with `upsample(k)`'],
      });
      return { last, ok: false };
    }
    const ties: Partial<Record<ParameterRole, Tie>> = {};
    if (tied && step.tieKernel && step.of.params.kernel) {
      ties.kernel = { to: step.of.params.kernel, transpose: step.tieKernel.transpose };
    }
    // The optional keys assigned, not spread (a call into V8's runtime, per layer of every model).
    const request: AddLayerRequest = { id: `decoder.${index}.${step.opName}`, opName: step.opName, op: layerOps[step.opName]!, args: step.args, input: last, stage: 'decoder', at: step.of.at, file: step.of.file, ties };
    if (step.layer !== undefined) request.layer = step.layer;
    if (step.switchesOf) request.context = { switches: { from: step.switchesOf.id, inputShape: step.switchesOf.inputShape } };
    const added = ctx.graph.addLayer(request);
    if (!added) return { last, ok: false };
    if (step.expected && !sameShape(added.shape, step.expected)) {
      ctx.reporter.report(
        'AE3007',
        step.of.at,
        message('AE3007', { op: step.of.opName, shape: formatShape(step.expected), reason: `it gives ${formatShape(added.shape)}` }),
        { file: step.of.file, related: [{ message: 'mirrored here', range: decoder.range, file: ctx.file }] },
      );
      return { last, ok: false };
    }
    if (ties.kernel && !transposable(ctx, added.params.kernel, ties.kernel)) {
      ctx.reporter.report('AE3005', step.of.at, `this \`${step.of.opName}\`'s kernel cannot be shared with its mirror`, {
        file: step.of.file,
        related: [{ message: 'tied here', range: spec.range, file: ctx.file }],
      });
      return { last, ok: false };
    }
    last = { id: added.id, shape: added.shape };
  }
  return { last, ok: true };
}

function transposable(ctx: ModelContext, mirroredId: string | undefined, tie: Tie): boolean {
  const stored = ctx.graph.parameter(tie.to);
  const seen = mirroredId === undefined ? undefined : ctx.graph.parameter(mirroredId);
  if (!stored || !seen) return false;
  return tiedShapesAgree(stored.shape, seen.shape, tie.transpose);
}

/** Whether a mirrored layer that expects a parameter of shape `seen` can share the stored one
 *  (transposed for dense). The AE3005 guarantee; exported for its test. */
export function tiedShapesAgree(stored: readonly number[], seen: readonly number[], transpose: boolean): boolean {
  const expected = transpose ? [...stored].reverse() : stored;
  return expected.length === seen.length && expected.every((d, i) => d === seen[i]);
}

/** The activation M(Li) takes: that of the nearest layer before Li that has one, else linear. */
function activationBefore(encoder: readonly BuiltLayer[], index: number): ActivationSpec {
  for (let j = index - 1; j >= 0; j--) {
    const layer = encoder[j]!;
    // Weighted layers and standalone activations have one (BuiltLayer.activation).
    if (layer.activation) return layer.activation;
  }
  return LINEAR;
}

function planMirror(encoder: readonly BuiltLayer[], layers: readonly number[], latent: BuiltLatent, reconstructs?: Shape): MirrorStep[] {
  const steps: MirrorStep[] = [];
  // Each layer's steps pushed onto `steps`, not returned and spread: this runs per layer of every model.
  const addStepsOf = (of: BuiltLayer, act: ActivationSpec, layer: number | undefined): void => {
    // a conditional encoder's first layer maps back to the input alone, not the input and condition
    const inputShape = reconstructs && of === encoder[0] ? reconstructs : of.inputShape;
    const found = of.op.mirror?.({ args: of.args, inputShape, act });
    if (!found) return;
    const rules = Array.isArray(found) ? found : [found];
    for (let index = 0; index < rules.length; index++) {
      const rule = rules[index]!;
      const step: MirrorStep = { opName: rule.op, args: rule.args, of };
      // Only the last layer of a rule gives the mirrored layer's input shape back.
      if (index === rules.length - 1) step.expected = inputShape;
      if (rule.tieKernel) step.tieKernel = rule.tieKernel;
      if (rule.switches) step.switchesOf = of;
      if (layer !== undefined) step.layer = layer;
      steps.push(step);
    }
  };
  // The latent is the layer after the encoder's weighted layers (greedy pretraining's last step).
  let latentLayer = 0;
  for (const layer of encoder) if (layer.op.weighted) latentLayer++;
  if (latent.dense) addStepsOf(latent.dense, activationBefore(encoder, encoder.length), latentLayer);
  for (let i = encoder.length - 1; i >= 0; i--) addStepsOf(encoder[i]!, activationBefore(encoder, i), layers[i]);
  return steps;
}
