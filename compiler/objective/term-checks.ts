// The proofs of section 10 over resolved loss arguments, and the options they imply (`fromLogits`,
// a gaussian latent's mean/logvar, a vq latent's commitment). Each loss term's registry entry
// (builtins.ts) says which of them it needs.
import type { SourceRange } from '../../grammar/ast.js';
import type { CheckedLatent, NamedTensor } from '../check/model.js';
import { diagnostic, type RelatedLocation } from '../../diagnostics/diagnostic.js';
import type { TermContext } from './terms.js';
import { formatShape, sameShape } from '../shapes/dims.js';
import { contractivePath } from '../../ir/contractive-path.js';
import { logitsOf as logitsRef, outputOf } from '../../ir/outputs.js';
import { asLatent } from '../../ir/op-rules.js';
import { message } from '../../diagnostics/message.js';

export interface TensorArgument {
  tensor: NamedTensor;
  range: SourceRange;
}

function declaredHere(tensor: NamedTensor, what: string): RelatedLocation {
  return { message: `\`${tensor.name}\` is declared here${what}`, range: tensor.declaredAt };
}

export function sameShapes(fn: string, a: TensorArgument, b: TensorArgument, context: TermContext): boolean {
  if (sameShape(a.tensor.shape, b.tensor.shape)) return true;
  context.diagnostics.push(
    diagnostic(
      'AE4011',
      `\`${fn}\` compares tensors of different shapes: \`${a.tensor.name}\` is ${formatShape(a.tensor.shape)}, \`${b.tensor.name}\` is ${formatShape(b.tensor.shape)}`,
      b.range,
      { related: [declaredHere(a.tensor, ` with shape ${formatShape(a.tensor.shape)}`)] },
    ),
  );
  return false;
}

export function targetInUnitRange(target: TensorArgument, context: TermContext): boolean {
  const range = target.tensor.valueRange;
  if (range && range[0] >= 0 && range[1] <= 1) return true;
  const known = range ? `its values lie in [${range[0]}, ${range[1]}]` : 'its value range is not declared';
  const notes = ['binary cross-entropy compares probabilities: its target must lie in [0, 1]'];
  if (target.tensor.origin === 'input') notes.push(`declare it as \`input ${target.tensor.name}: [...] in [0, 1]\`, or use \`mse\``);
  else notes.push('use `mse` for targets outside [0, 1]');
  context.diagnostics.push(
    diagnostic('AE4010', `\`bce\` target \`${target.tensor.name}\` is not known to lie in [0, 1]: ${known}`, target.range, {
      related: [declaredHere(target.tensor, '')],
      notes,
    }),
  );
  return false;
}

/** bce on a sigmoid (cross_entropy on a softmax) is computed from the logits before it, stably: the
 *  value of a linear node before the squash, or the `logits` output of a node that squashes itself. */
export function logitsOf(tensor: NamedTensor, squash: 'sigmoid' | 'softmax', context: TermContext): { fromLogits?: string } {
  const fn = tensor.activation?.fn;
  if (fn === squash && tensor.preActivationNodeId && readsDeclaredTensor(tensor, context)) {
    const node = context.model.nodes.find((n) => n.id === tensor.preActivationNodeId);
    return { fromLogits: node ? logitsRef(node) : tensor.preActivationNodeId };
  }
  // A linear head is its own logits (cross_entropy accepts logits or probabilities).
  if (squash === 'softmax' && (fn === 'linear' || (fn === undefined && tensor.valueRange === undefined))) {
    return { fromLogits: tensor.nodeId };
  }
  return {};
}

/**
 * `fromLogits` is the `logits` output of a node that applies a sigmoid/softmax itself, else a
 * node's value (ir/outputs.ts's logitsOf). An `output` activation's logits are the value of the
 * node before it; when that node squashes too (AE5010), its preactivation would be a different
 * tensor from the declared output, so the loss then reads the output itself.
 */
function readsDeclaredTensor(tensor: NamedTensor, context: TermContext): boolean {
  if (tensor.origin !== 'output') return true;
  const node = context.model.nodes.find((n) => n.id === tensor.preActivationNodeId);
  const own = node && 'activation' in node.attrs ? node.attrs.activation.fn : undefined;
  return own !== 'sigmoid' && own !== 'softmax';
}

export function classesAgree(head: TensorArgument, labels: TensorArgument, context: TermContext): boolean {
  if (head.tensor.classes !== undefined) {
    context.diagnostics.push(
      diagnostic('AE4005', message('AE4005', { argument: 'the first argument of `cross_entropy`', expected: 'logits or probabilities', actual: `\`${head.tensor.name}\` is a label` }), head.range, {
        notes: ['write `cross_entropy(head, labels)`'],
      }),
    );
    return false;
  }
  const classes = labels.tensor.classes;
  if (classes === undefined) {
    // The runtime compares with class indices (one-hot), not with a tensor of probabilities.
    context.diagnostics.push(
      diagnostic('AE4015', `\`cross_entropy\` compares with class labels; \`${labels.tensor.name}\` is not a \`label(N)\` input`, labels.range, {
        related: [declaredHere(labels.tensor, '')],
        notes: ['declare the labels as `input y: label(N)`, or compare reconstructions with `bce` or `mse`'],
      }),
    );
    return false;
  }
  const width = head.tensor.shape[head.tensor.shape.length - 1];
  if (head.tensor.shape.length === 2 && (width === null || width === classes)) return true;
  context.diagnostics.push(
    diagnostic(
      'AE4012',
      `\`${head.tensor.name}\` is ${formatShape(head.tensor.shape)} but \`${labels.tensor.name}\` has ${classes} classes`,
      head.range,
      {
        related: [declaredHere(labels.tensor, ` as \`label(${classes})\``)],
        notes: [`the head's last layer needs ${classes} units, one per class`],
      },
    ),
  );
  return false;
}

/** `kl` reads a gaussian latent's mean and log-variance. */
export function gaussianOf(arg: TensorArgument, context: TermContext): { mean: string; logvar: string } | undefined {
  const latent = latentOfKind('kl', 'gaussian', arg, context);
  return latent && { mean: latent.meanNodeId ?? `latent.${latent.name}.mean`, logvar: latent.logvarNodeId ?? `latent.${latent.name}.logvar` };
}

/** `vq_loss` reads a vq latent's commitment weight, and the quantiser's input and `quantized` output. */
export function vqOf(arg: TensorArgument, context: TermContext): { commitment: number; args: [string, string] } | undefined {
  const latent = latentOfKind('vq_loss', 'vq', arg, context);
  const node = asLatent(latent && context.model.nodes.find((n) => n.id === arg.tensor.nodeId), 'vq');
  if (!node) return undefined;
  return { commitment: latent!.commitment ?? 0.25, args: [node.inputs[0]!, outputOf(node, 'quantized')] };
}

/** What a latent term says when its argument is not the latent it needs. */
const latentTerms = {
  kl: { code: 'AE4007', example: '`latent z = gaussian(k)`' },
  vq_loss: { code: 'AE4008', example: '`latent z = vq(codes = K, dim = D)`' },
} as const;

function latentOfKind(fn: keyof typeof latentTerms, wanted: 'gaussian' | 'vq', arg: TensorArgument, context: TermContext): CheckedLatent | undefined {
  const latent = context.model.latent;
  if (latent && latent.name === arg.tensor.name && latent.kind === wanted) return latent;
  const isLatent = latent !== undefined && latent.name === arg.tensor.name;
  const what = isLatent ? `a \`${latent.kind}\` latent` : `not the latent`;
  const { code, example } = latentTerms[fn];
  context.diagnostics.push(
    diagnostic(code,
      `\`${fn}\` applies only to a ${wanted} latent; \`${arg.tensor.name}\` is ${what}`, arg.range, {
      related: isLatent ? [{ message: 'the latent is declared here', range: latent.decl.value.range }] : [],
      notes: [`\`${fn}\` needs ${example}`],
    }),
  );
  return undefined;
}

/** The contractive penalty's closed form needs dense layers from the input to the code (ir/contractive-path.ts). */
export function computable(code: TensorArgument, input: TensorArgument, context: TermContext): boolean {
  const nodes = new Map(context.model.nodes.map((n) => [n.id, n]));
  const path = contractivePath(nodes, code.tensor.nodeId, input.tensor.name);
  if (path.ok) return true;
  context.diagnostics.push(
    diagnostic('AE4014', `the contractive penalty of \`${code.tensor.name}\` cannot be computed: ${path.reason}`, code.range, {
      related: [declaredHere(code.tensor, '')],
      notes: [`\`contractive(z, x)\` needs \`z\` computed from \`x\` by dense layers${path.node ? ` (\`${path.node.id}\` is not one)` : ''}`],
    }),
  );
  return false;
}

export function differentiable(code: TensorArgument, input: TensorArgument, context: TermContext): boolean {
  if (input.tensor.origin !== 'input' || input.tensor.classes !== undefined) {
    context.diagnostics.push(
      diagnostic('AE4009', message('AE4009', { code: code.tensor.name, input: input.tensor.name, reason: `\`contractive\` differentiates with respect to a model input, and \`${input.tensor.name}\` is not one` }), input.range, {
        related: [declaredHere(input.tensor, '')],
      }),
    );
    return false;
  }
  const from = code.tensor.differentiableFrom;
  if (from.has(input.tensor.name) || from.has(input.tensor.nodeId)) return true;
  const latent = context.model.latent;
  const afterCode = code.tensor.name === latent?.name || ['output', 'head'].includes(code.tensor.origin);
  const blocking = latent && afterCode && ['binary', 'onehot', 'vq'].includes(latent.kind) ? latent : undefined;
  context.diagnostics.push(
    diagnostic('AE4009', message('AE4009', { code: code.tensor.name, input: input.tensor.name, reason: `\`${code.tensor.name}\` does not depend differentiably on it` }), code.range, {
      related: blocking
        ? [{ message: `the \`${blocking.kind}\` code is declared here`, range: blocking.decl.value.range }]
        : [declaredHere(code.tensor, '')],
      notes: [
        blocking
          ? `a ${blocking.kind} code has no derivative (its gradient is straight-through), so d${code.tensor.name}/d${input.tensor.name} is undefined`
          : `the contractive penalty is the norm of d${code.tensor.name}/d${input.tensor.name}, which needs a differentiable path`,
      ],
    }),
  );
  return false;
}
