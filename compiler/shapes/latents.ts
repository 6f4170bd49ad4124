// The latent kinds of LANGUAGE.md section 5, each declared once: its arguments, the nodes it
// becomes (two dense heads and a sampler for gaussian, a codebook for vq, ...) with their typed IR
// attributes, and a one-line doc. compiler/check/latent.ts gives each a LatentBuilder on the graph.
import type { DiagnosticCode } from '../../diagnostics/codes/index.js';
import type { ActivationSpec, IROpAttrs, Shape } from '../../ir/types.js';
import { LINEAR } from './activations.js';
import { elementCount, formatShape, lastDim } from './dims.js';
import type { ParamSpec } from './layers.js';
import { activation, bool, int, nonNegative, positive, type BoundArgs, type Signature } from './signature.js';
import { ruleParams } from './rule-params.js';

export type LatentKind = 'dense' | 'identity' | 'gaussian' | 'vq' | 'binary' | 'onehot';

export interface Tensor {
  id: string;
  shape: Shape;
}

/** How a latent adds its nodes; `Dense` is the checker's built dense layer (a mirror undoes it). */
export interface LatentBuilder<Dense extends Tensor> {
  /** The encoder's output. */
  input: Tensor;
  /** A dense layer with a bias on the input, at `latent.<name><suffix>`; undefined after a reported error. */
  dense(suffix: string, units: number, act: ActivationSpec): Dense | undefined;
  /** A node at `latent.<name>`, with its parameters. */
  node(ir: IROpAttrs, inputs: string[], shape: Shape, params?: ParamSpec[]): Tensor;
  /** Reports a problem at the latent's call. */
  report(code: DiagnosticCode, message: string, notes: string[]): void;
}

export interface BuiltLatentNodes<Dense extends Tensor> {
  /** Code width (units, or D for vq); null for `identity` codes of an unknown width. */
  width: number | null;
  /** The code the decoder reads. */
  out: Tensor;
  /** The dense layer a mirror undoes (and ties to), when the latent has one. */
  dense?: Dense;
  activation?: ActivationSpec;
  meanNodeId?: string;
  logvarNodeId?: string;
  codes?: number;
  commitment?: number;
}

export interface LatentOp {
  doc: string;
  signature: Signature;
  build<Dense extends Tensor>(b: LatentBuilder<Dense>, args: BoundArgs): BuiltLatentNodes<Dense> | undefined;
}

export const latentOps: Readonly<Record<LatentKind, LatentOp>> = Object.freeze({
  dense: {
    doc: 'Deterministic code of width `units`.',
    signature: {
      name: 'dense',
      args: [
        { name: 'units', type: int() },
        { name: 'act', type: activation, default: LINEAR },
      ],
    },
    build(b, a) {
      const act = a.act as ActivationSpec;
      const built = b.dense('', a.units as number, act);
      return built && { width: a.units as number, out: built, dense: built, activation: act };
    },
  },
  identity: {
    doc: "The encoder's output is the code (convolutional autoencoders).",
    signature: { name: 'identity', args: [] },
    build: (b) => ({ width: elementCount(b.input.shape), out: b.input }),
  },
  gaussian: {
    doc: 'VAE code: mean and log-variance heads, a reparameterised sample in training, the mean in inference; pair with `kl(z)`.',
    signature: { name: 'gaussian', args: [{ name: 'units', type: int() }] },
    build(b, a) {
      const units = a.units as number;
      const mean = b.dense('.mean', units, LINEAR);
      const logvar = mean && b.dense('.logvar', units, LINEAR);
      if (!mean || !logvar) return undefined;
      const sample = b.node({ op: 'gaussian_sample', attrs: {} }, [mean.id, logvar.id], mean.shape);
      return { width: units, out: sample, dense: mean, meanNodeId: mean.id, logvarNodeId: logvar.id };
    },
  },
  vq: {
    doc: 'VQ-VAE codebook of `codes` vectors of width `dim`, nearest code with a straight-through gradient; pair with `vq_loss(z)`.',
    signature: {
      name: 'vq',
      args: [
        // One code would make every input the same code (and tfjs's one-hot needs depth ≥ 2).
        { name: 'codes', type: int(2) },
        { name: 'dim', type: int() },
        { name: 'commitment', type: nonNegative, default: 0.25 },
      ],
    },
    build(b, a) {
      const codes = a.codes as number;
      const dim = a.dim as number;
      const commitment = a.commitment as number;
      const channels = lastDim(b.input.shape);
      if (channels !== null && channels !== dim) {
        b.report('AE3011', `\`vq\` with dim = ${dim} needs the encoder's last dimension to be ${dim}, but it gives ${formatShape(b.input.shape)}`, [
          `end the encoder with ${dim} units or channels, or use \`dim = ${channels}\``,
        ]);
        return undefined;
      }
      const ir = { op: 'vector_quantize', attrs: { codes, dim, commitment } } as const;
      const out = b.node(ir, [b.input.id], b.input.shape, ruleParams(ir, b.input.shape, { codebook: 'uniform_unit' }));
      return { width: dim, out, codes, commitment };
    },
  },
  binary: {
    doc: 'Bits with a straight-through gradient (a Bernoulli sample when `stochastic`).',
    signature: {
      name: 'binary',
      args: [
        { name: 'units', type: int() },
        { name: 'stochastic', type: bool, default: false },
      ],
    },
    build(b, a) {
      // The binarizer reads logits: a bit is 1 where sigmoid(logit) > 0.5. A sigmoid here would
      // make every logit positive and every bit 1.
      const logits = b.dense('.logits', a.units as number, LINEAR);
      if (!logits) return undefined;
      const out = b.node({ op: 'binarize', attrs: { stochastic: a.stochastic as boolean } }, [logits.id], logits.shape);
      return { width: a.units as number, out, dense: logits };
    },
  },
  onehot: {
    doc: 'Gumbel-softmax one-hot code in training, the argmax one-hot in inference, for unsupervised clustering.',
    signature: {
      name: 'onehot',
      args: [
        { name: 'units', type: int(2) },
        { name: 'temperature', type: positive, default: 1 },
        { name: 'hard', type: bool, default: false },
      ],
    },
    build(b, a) {
      const logits = b.dense('.logits', a.units as number, LINEAR);
      if (!logits) return undefined;
      const attrs = { temperature: a.temperature as number, hard: a.hard as boolean };
      const out = b.node({ op: 'gumbel_onehot', attrs }, [logits.id], logits.shape);
      return { width: a.units as number, out, dense: logits };
    },
  },
});

export const latentKinds = Object.freeze(Object.keys(latentOps)) as readonly LatentKind[];

/** Each latent's arguments, by kind (did-you-mean and the docs read these). */
export const latentSignatures: Readonly<Record<LatentKind, Signature>> = Object.freeze(
  Object.fromEntries(latentKinds.map((kind) => [kind, latentOps[kind].signature])) as Record<LatentKind, Signature>,
);

export function isLatentKind(name: string): name is LatentKind {
  return Object.prototype.hasOwnProperty.call(latentOps, name);
}
