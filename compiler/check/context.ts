// What every part of a model's check shares: where to report, how to evaluate constants, the
// file scope the model is written in, and the graph being built.
import type { ModelDeclaration } from '../../grammar/ast.js';
import type { ConstantEvaluator } from '../resolve/evaluate.js';
import type { Env } from '../resolve/scope.js';
import type { BindContext } from './bind.js';
import type { Graph } from './graph.js';
import type { LayerBudget } from './expand.js';
import type { Reporter } from '../../diagnostics/reporter.js';

export interface ModelContext {
  reporter: Reporter;
  evaluator: ConstantEvaluator;
  env: Env;
  graph: Graph;
  decl: ModelDeclaration;
  /** The model's file, as shown to people. */
  file: string;
  /** The layers the file's models may still expand to (shared by every model of the analysis). */
  layerBudget: LayerBudget;
}

export function bindContext(ctx: ModelContext): BindContext {
  return { evaluator: ctx.evaluator, reporter: ctx.reporter, env: ctx.env };
}
