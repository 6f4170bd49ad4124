// `encoder on x, y { ... }` and `decoder on z, y { ... }`: a conditional model's encoder or decoder
// reads the concatenation of the named tensors along their last axis, each label one-hot encoded
// (a conditional VAE, Sohn et al. 2015). The encoder reads model inputs; the decoder reads the code
// first, then model inputs (the conditions `ae sample --condition` supplies). What it reads must be
// vectors ([n], a label's one-hot [classes]), so the concatenation is one vector per sample.
import type { NameRef } from '../../grammar/ast.js';
import type { IRInput, ModelPart, Shape } from '../../ir/types.js';
import { message } from '../../diagnostics/message.js';
import { formatShape } from '../shapes/dims.js';
import type { ModelContext } from './context.js';

export interface ReadTensor {
  /** The node id (or input name) it is read from. */
  id: string;
  shape: Shape;
  /** A label input: read one-hot with this many classes. */
  classes?: number;
}

/** The tensor the encoder or decoder reads: `first` alone without an `on` clause, else the
 *  concatenation; undefined (reported) when a name is unknown, repeated or not a vector. */
export function buildReads(
  ctx: ModelContext,
  stage: Extract<ModelPart, 'encoder' | 'decoder'>,
  reads: readonly NameRef[] | undefined,
  available: ReadonlyMap<string, ReadTensor>,
  first: { name: string; tensor: ReadTensor },
): { id: string; shape: Shape } | undefined {
  if (!reads || reads.length === 0) return { id: first.tensor.id, shape: first.tensor.shape };
  if (reads.some((r) => r.recovered)) return undefined;
  const file = ctx.file;
  if (stage === 'decoder' && reads[0]!.name !== first.name) {
    ctx.reporter.report('AE3016', reads[0]!, message('AE3016', { name: first.name }), {
      file,
      notes: ['a conditional decoder reads the code, then its conditions: `decoder on z, y { ... }`'],
      fix: { message: `read \`${first.name}\` first`, edits: [{ range: reads[0]!.range, newText: `${first.name}, ${reads[0]!.name}` }] },
    });
    return undefined;
  }
  const parts: { ref: NameRef; tensor: ReadTensor }[] = [];
  const seen = new Set<string>();
  for (const ref of reads) {
    const tensor = ref.name === first.name ? first.tensor : available.get(ref.name);
    if (!tensor) {
      const candidates = [...(stage === 'decoder' ? [first.name] : []), ...available.keys()];
      ctx.reporter.unknown('AE2001', ref, message('AE2001', { kind: stage === 'decoder' ? 'code or input' : 'input', name: ref.name }), ref.name, candidates, {
        file,
        notes: [`\`${stage} on\` reads ${stage === 'decoder' ? 'the code, then ' : ''}model inputs`],
      });
      return undefined;
    }
    if (seen.has(ref.name)) {
      ctx.reporter.report('AE2002', ref, message('AE2002', { owner: `\`${stage} on\``, count: 'two', things: 'reads', name: ref.name }), { file });
      return undefined;
    }
    seen.add(ref.name);
    const shape = tensor.classes !== undefined ? [null, tensor.classes] : tensor.shape;
    if (shape.length !== 2) {
      ctx.reporter.report('AE3018', ref, message('AE3018', { member: `${stage} on`, name: ref.name, shape: formatShape(shape) }), {
        file,
        notes: ['what a conditional encoder or decoder reads is concatenated per sample: vectors `[n]` and labels (one-hot); flatten an image input first, e.g. declare it `[784]`'],
      });
      return undefined;
    }
    parts.push({ ref, tensor });
  }
  if (parts.length === 1 && parts[0]!.tensor.classes === undefined) return { id: parts[0]!.tensor.id, shape: parts[0]!.tensor.shape };
  const ids = parts.map(({ ref, tensor }) =>
    tensor.classes === undefined
      ? tensor.id
      : ctx.graph.addNode({ id: `${stage}.on.${ref.name}.one_hot`, ir: { op: 'one_hot', attrs: { depth: tensor.classes } }, inputs: [tensor.id], shape: [null, tensor.classes], stage, at: ref, file }),
  );
  if (ids.length === 1) return { id: ids[0]!, shape: [null, parts[0]!.tensor.classes!] };
  const width = parts.reduce((sum, { tensor }) => sum + (tensor.classes ?? (tensor.shape[1] as number)), 0);
  const at = { start: reads[0]!.range.start, end: reads[reads.length - 1]!.range.end };
  const id = ctx.graph.addNode({ id: `${stage}.on.concat`, ir: { op: 'concat', attrs: {} }, inputs: ids, shape: [null, width], stage, at, file });
  return { id, shape: [null, width] };
}

/** The model inputs an `on` clause may name: tensors as the encoder sees them (corrupted in
 *  training), labels by class count. */
export function readableInputs(inputs: readonly { ir: IRInput }[], entries: ReadonlyMap<string, string>): Map<string, ReadTensor> {
  // A loop with the label's classes assigned, not pairs with a spread in each: once per model.
  const readable = new Map<string, ReadTensor>();
  for (const { ir } of inputs) {
    const tensor: ReadTensor = { id: entries.get(ir.name) ?? ir.name, shape: ir.shape };
    if (ir.kind === 'label') tensor.classes = ir.classes!;
    readable.set(ir.name, tensor);
  }
  return readable;
}
