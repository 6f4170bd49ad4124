// The checked model: what the structural checker (names, mirror, shapes) knows about one model,
// handed to the objective/phase lowering and to the lints. Everything here is already resolved:
// names point at tensors, shapes are inferred, the graph is built. Later passes only read it.
import type {
  CorruptMember,
  Expression,
  HeadMember,
  InputMember,
  LatentMember,
  ModelDeclaration,
  OutputMember,
  SourceRange,
} from '../../grammar/ast.js';
import type { ActivationSpec, IRInput, IRNode, IRParameter, IRSourceLocation, Shape } from '../../ir/types.js';

import type { ConstantValue } from '../resolve/evaluate.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LatentKind } from '../shapes/latents.js';
import type { RecurrentLayer } from './graph.js';

export type { ConstantValue, LatentKind };

/** A tensor a loss or head may name: an input, the latent, the output, an `as` name, a head. */
export interface NamedTensor {
  name: string;
  /** The IR node id (or, for inputs, the input's name). */
  nodeId: string;
  /** With the batch dimension (`null`) first. */
  shape: Shape;
  origin: 'input' | 'latent' | 'output' | 'layer' | 'head';
  /** Where the name is declared (for "declared here" related locations). */
  declaredAt: SourceRange;
  /** The activation that produced it, when known (a dense/conv `act`, the output activation). */
  activation?: ActivationSpec;
  /** The node before that activation, when the activation is fused or separate: for losses from logits. */
  preActivationNodeId?: string;
  /** Bounds of its values when they are known: inputs' `in [a, b]`, sigmoid (0, 1), tanh (-1, 1). */
  valueRange?: [number, number];
  /** Model inputs this tensor depends on through differentiable ops (for `contractive(z, x)`). */
  differentiableFrom: ReadonlySet<string>;
  /** For label inputs: the class count. */
  classes?: number;
}

export interface CheckedLatent {
  name: string;
  kind: LatentKind;
  decl: LatentMember;
  /** Code width (units, or D for vq); null for `identity` codes of an unknown width. */
  width: number | null;
  shape: Shape;
  activation?: ActivationSpec;
  /** Gaussian latents: the mean and log-variance node ids. */
  meanNodeId?: string;
  logvarNodeId?: string;
  /** VQ latents. */
  codes?: number;
  commitment?: number;
}

export interface CheckedHead {
  name: string;
  decl: HeadMember;
  shape: Shape;
  activation?: ActivationSpec;
  nodeId: string;
  preActivationNodeId?: string;
}

export interface CheckedModel {
  name: string;
  decl: ModelDeclaration;
  /** The `.ae` file this model is in (for related locations in imports). */
  file?: string;
  inputs: { decl: InputMember; ir: IRInput }[];
  /** The input that is reconstructed (the first tensor input). */
  reconstructed?: IRInput;
  corruptions: CorruptMember[];
  latent?: CheckedLatent;
  output?: { name: string; decl: OutputMember; activation: ActivationSpec; nodeId: string; shape: Shape };
  heads: CheckedHead[];
  /** Every name usable in `loss` and `head ... on`, by name. */
  tensors: ReadonlyMap<string, NamedTensor>;
  /** `as` names declared in layers, with where, for the unused-name lint. */
  layerNames: { name: string; range: SourceRange; nodeId: string }[];
  nodes: IRNode[];
  parameters: IRParameter[];
  /** The recurrent layers built, where they are written (for AE5011). */
  recurrences?: readonly RecurrentLayer[];
  /** A range of this model's file as the IR writes it (the one rule for every `source`: the file
   *  relative to the working directory), for objective terms as for nodes. */
  locate(range: SourceRange): IRSourceLocation;
  /** Evaluates a constant expression (numbers, arithmetic, `let` names incl. imported ones, strings,
   *  booleans). Returns undefined when it is not constant; the caller reports that in its own words. */
  evaluateConstant(expr: Expression): ConstantValue | undefined;
  /** Evaluates a loss coefficient, handing back what it would report (a schedule's bad argument)
   *  for the objective to report with its own diagnostics. */
  evaluateCoefficient?(expr: Expression): { value: ConstantValue | undefined; diagnostics: Diagnostic[] };
  /** The constants visible to the model (its file's lets, plainly imported ones, import names), for
   *  did-you-mean on a misspelt coefficient. */
  constantNames?: readonly string[];
  /** True when `name` (an import's `as` name when `namespaced`) may come from an import that could
   *  not be read: an unknown name there is a cascade of that error and is not reported again. */
  fromFailedImport?(name: string, namespaced: boolean): boolean;
  /** Parameter count as Keras counts it: tied weights once, batch-norm statistics non-trainable. */
  parameterCount: { total: number; trainable: number };
}
