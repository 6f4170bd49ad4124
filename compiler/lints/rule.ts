// What every lint rule is: a stable code and a function from the checked model (and its lowered
// objective and phases) to warnings. Rules only read; they never change the model.
import type { CheckedModel } from '../check/model.js';
import type { DiagnosticCode } from '../../diagnostics/codes/index.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { IRPhase, IRTerm } from '../../ir/types.js';

export interface LintContext {
  objective: IRTerm[];
  phases: IRPhase[];
}

export interface LintRule {
  code: DiagnosticCode;
  /** kebab-case, as the rule's file is named. */
  name: string;
  check(model: CheckedModel, context: LintContext): Diagnostic[];
}
