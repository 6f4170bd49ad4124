// A sequence of layers (encoder, explicit decoder, head) added to the graph one after another.
// Unpools with switches take them from the encoder's maxpools, innermost first; the first shape
// error stops the sequence.
import type { ActivationSpec, Shape, ModelPart } from '../../ir/types.js';
import { LINEAR } from '../shapes/activations.js';
import { formatShape, sameShape } from '../shapes/dims.js';
import type { ShapeContext } from '../shapes/layers.js';
import type { ModelContext } from './context.js';
import type { LayerInstance } from './expand.js';
import type { AddLayerRequest, BuiltLayer } from './graph.js';
import { message } from '../../diagnostics/message.js';

export interface StackOptions {
  stage: ModelPart;
  idPrefix: string;
  input: { id: string; shape: Shape };
  /** Greedy pretraining's layer number for each instance. */
  layers?: (number | undefined)[];
  /** The encoder's maxpools not yet undone, innermost last (consumed by unpools). */
  pools?: BuiltLayer[];
  /** Heads: a fused final activation becomes its own node, so losses can read the logits. */
  splitLastActivation?: boolean;
}

export interface BuiltStack {
  built: BuiltLayer[];
  last: { id: string; shape: Shape };
  ok: boolean;
  activation?: ActivationSpec;
  preActivationNodeId?: string;
}

export function buildStack(ctx: ModelContext, instances: readonly LayerInstance[], options: StackOptions): BuiltStack {
  const built: BuiltLayer[] = [];
  let last = options.input;
  let activation: ActivationSpec | undefined;
  let preActivationNodeId: string | undefined;
  for (let index = 0; index < instances.length; index++) {
    const instance = instances[index]!;
    const isLast = index === instances.length - 1;
    let args = instance.args;
    const fused = instance.op.weighted ? instance.op.activation?.(args) : undefined;
    const split = options.splitLastActivation && isLast && fused !== undefined && fused.fn !== 'linear';
    if (split) args = { ...args, act: LINEAR };
    let context: ShapeContext | undefined;
    if (instance.opName === 'unpool' && args.mode === 'switches') {
      const pool = takeSwitches(ctx, instance, last.shape, options.pools);
      if (!pool) return { built, last, ok: false };
      context = { switches: { from: pool.id, inputShape: pool.inputShape } };
    }
    // The optional keys assigned, not spread: a spread after the first key of a literal is a call
    // into V8's runtime, and this runs for every layer of every model.
    const request: AddLayerRequest = { id: `${options.idPrefix}.${index}.${instance.opName}`, opName: instance.opName, op: instance.op, args, input: last, stage: options.stage, at: instance.call, file: instance.file };
    if (instance.alias) request.name = instance.alias.name;
    const layerNumber = options.layers?.[index];
    if (layerNumber !== undefined) request.layer = layerNumber;
    if (context) request.context = context;
    const added = ctx.graph.addLayer(request);
    if (!added) return { built, last, ok: false };
    built.push(added);
    last = { id: added.id, shape: added.shape };
    if (added.activation) {
      activation = added.activation;
      preActivationNodeId = undefined;
    }
    if (instance.opName === 'maxpool') options.pools?.push(added);
    if (split) {
      const id = ctx.graph.addNode({
        id: `${options.idPrefix}.activation`,
        ir: { op: 'activation', attrs: { ...fused } },
        inputs: [added.id],
        shape: added.shape,
        stage: options.stage,
        at: instance.call,
        file: instance.file,
      });
      preActivationNodeId = added.id;
      activation = fused;
      last = { id, shape: added.shape };
    }
  }
  const stack: BuiltStack = { built, last, ok: true };
  if (activation) stack.activation = activation;
  if (preActivationNodeId) stack.preActivationNodeId = preActivationNodeId;
  return stack;
}

/** The maxpool whose switches an unpool undoes: the innermost not yet undone, of the same size. */
function takeSwitches(ctx: ModelContext, instance: LayerInstance, shape: Shape, pools: BuiltLayer[] | undefined): BuiltLayer | undefined {
  const pool = pools?.[pools.length - 1];
  const fix = 'use `unpool(k, mode = fill)`, or pool with `maxpool(k)` in the encoder';
  if (!pool) {
    ctx.reporter.report('AE3006', instance.call, message('AE3006', { reason: 'every `maxpool` of the encoder that records them is undone already' }), {
      file: instance.file,
      notes: [fix],
    });
    return undefined;
  }
  const samePool = String(pool.args.pool) === String(instance.args.pool);
  if (!samePool || !sameShape(pool.shape, shape)) {
    const size = (p: unknown) => {
      const [h, w] = p as [number, number];
      return h === w ? String(h) : `[${h}, ${w}]`;
    };
    // Switches are undone innermost first: the next unpool must match the last maxpool not yet undone.
    const reason = !samePool
      ? `the innermost \`maxpool\` not yet undone is \`maxpool(${size(pool.args.pool)})\`, not \`maxpool(${size(instance.args.pool)})\` (unpool in reverse order, with the same size)`
      : `it gets ${formatShape(shape)}, but the innermost \`maxpool\` not yet undone produced ${formatShape(pool.shape)}`;
    ctx.reporter.report(
      'AE3006',
      instance.call,
      message('AE3006', { reason }),
      { file: instance.file, related: [{ message: 'that maxpool', range: 'range' in pool.at ? pool.at.range : pool.at, file: pool.file }], notes: [fix] },
    );
    return undefined;
  }
  if (!recordsSwitches(pool)) {
    ctx.reporter.report('AE3006', instance.call, message('AE3006', { reason: 'its `maxpool` does not move by its own size (stride = pool), so its windows record no single place per value' }), {
      file: instance.file,
      related: [{ message: 'that maxpool', range: 'range' in pool.at ? pool.at.range : pool.at, file: pool.file }],
      notes: [fix],
    });
    return undefined;
  }
  pools!.pop();
  return pool;
}

/** Switches exist for non-overlapping windows only: a maxpool whose stride is its pool size. */
export function recordsSwitches(pool: BuiltLayer): boolean {
  const stride = (pool.args.stride as [number, number] | undefined) ?? (pool.args.pool as [number, number]);
  return String(stride) === String(pool.args.pool);
}

/** Greedy layer numbers for the encoder: a weighted layer starts a new one; others join the current. */
export function encoderLayerNumbers(instances: readonly LayerInstance[]): number[] {
  let weighted = 0;
  return instances.map((i) => {
    if (i.op.weighted) weighted++;
    return Math.max(0, weighted - 1);
  });
}

/** The explicit decoder's, counted from its end, so its last weighted layer pairs with layer 0. */
export function decoderLayerNumbers(instances: readonly LayerInstance[]): number[] {
  return encoderLayerNumbers([...instances].reverse()).reverse();
}

