// Constant folding: numbers, strings, booleans, lists and arithmetic over `let` names (imported ones
// included) and block parameters. Each `let` is evaluated once, after the lets it reads, and each
// block argument once per call, so no evaluation recurses along a chain of names; a let or
// parameter defined through itself is reported with its chain (AE2011). A number that is not
// finite is refused where it is written or computed (AE2023). Enum-like words (`same`, `relu`,
// `sum`) evaluate to their text.
import type { Expression, LetDeclaration } from '../../grammar/ast.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { Reporter } from '../../diagnostics/reporter.js';
import { message } from '../../diagnostics/message.js';
import { thousands } from '../../diagnostics/numbers.js';
import type { Env, ParameterBinding, ScopedLet } from './scope.js';
import { fromFailedImport, visibleConstants } from './scope.js';
import { knownWords } from './words.js';
import { isActivation } from '../shapes/activations.js';
import { writtenName } from './written.js';
import { bindSchedule, isScheduleName, type ScheduleConstant } from './schedules.js';

/** What a constant expression evaluates to: a coefficient schedule (`ramp(0, 1, epochs = 10)`) is
 *  a constant too, usable only as a loss coefficient (anything else expects a number and says so). */
export type ConstantValue = number | string | boolean | ConstantValue[] | ScheduleConstant;

const PENDING = Symbol('pending');

export class ConstantEvaluator {
  private readonly letValues = new Map<LetDeclaration, ConstantValue | undefined | typeof PENDING>();
  private readonly letStack: string[] = [];
  /** Block parameters being evaluated: `block b(n = n)` comes back to one of them. */
  private readonly openParameters = new Set<ParameterBinding>();
  private readonly parameterValues = new Map<ParameterBinding, { value: ConstantValue | undefined; diagnostics: Diagnostic[] }>();

  constructor(private reporter: Reporter) {}

  /** The value, or undefined (already reported when `report` is true). */
  evaluate(expr: Expression, env: Env, report = true): ConstantValue | undefined {
    const r = report ? this.reporter : undefined;
    const file = env.scope.file;
    switch (expr.kind) {
      case 'NumberLiteral':
        return this.finite(expr.value, expr, r, file);
      case 'StringLiteral':
      case 'BooleanLiteral':
        return expr.value;
      case 'ParenExpression':
        return this.evaluate(expr.expression, env, report);
      case 'MissingExpression':
        return undefined;
      case 'ListExpression': {
        const values = expr.elements.map((e) => this.evaluate(e, env, report));
        return values.every((v) => v !== undefined) ? (values as ConstantValue[]) : undefined;
      }
      case 'NameRef': {
        const param = env.params?.get(expr.name);
        if (param) {
          if (this.openParameters.has(param)) {
            r?.report('AE2011', expr, message('AE2011', { what: 'block parameter', name: expr.name, chain: `${expr.name} → ${expr.name}` }), { file });
            return undefined;
          }
          return this.evaluateParameter(param, report);
        }
        const scoped = env.scope.lets.get(expr.name);
        if (scoped) return this.evaluateLet(scoped);
        if (knownWords.has(expr.name)) return expr.name;
        if (env.scope.namespaces.has(expr.name)) {
          r?.report('AE2010', expr, message('AE2010', { what: `\`${expr.name}\``, reason: 'it is an imported file' }), { file });
          return undefined;
        }
        if (expr.recovered || fromFailedImport(env.scope, expr.name, false)) return undefined;
        r?.unknown('AE2001', expr, message('AE2001', { kind: 'name', name: expr.name }), expr.name, visibleConstants(env), { file });
        return undefined;
      }
      case 'MemberAccess': {
        const namespace = expr.object.kind === 'NameRef' ? env.scope.namespaces.get(expr.object.name) : undefined;
        if (!namespace) {
          if (expr.object.kind === 'NameRef' && fromFailedImport(env.scope, expr.object.name, true)) return undefined;
          r?.report('AE2010', expr, message('AE2010', { what: `\`${writtenName(expr)}\``, reason: 'only members of imported files (`lib.code`) are constants' }), { file });
          return undefined;
        }
        const scoped = namespace.lets.get(expr.member.name);
        if (scoped) return this.evaluateLet(scoped);
        r?.unknown('AE2013', expr.member, message('AE2013', { file: namespace.file, kind: 'constant', name: expr.member.name }), expr.member.name, namespace.lets.keys(), { file });
        return undefined;
      }
      case 'IndexExpression': {
        const list = this.evaluate(expr.object, env, report);
        const index = this.evaluate(expr.index, env, report);
        if (list === undefined || index === undefined) return undefined;
        if (!Array.isArray(list) || typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= list.length) {
          r?.report('AE2010', expr, message('AE2010', { what: 'this index', reason: 'indexing needs a constant list and a whole index inside it' }), { file });
          return undefined;
        }
        return list[index];
      }
      case 'UnaryExpression': {
        const value = this.evaluate(expr.operand, env, report);
        if (value === undefined) return undefined;
        if (typeof value !== 'number') {
          r?.report('AE2014', expr.operand, message('AE2014', { what: `the operand of \`${expr.operator}\``, expected: 'a number' }), { file });
          return undefined;
        }
        return expr.operator === '-' ? -value : value;
      }
      case 'BinaryExpression': {
        const left = this.evaluate(expr.left, env, report);
        const right = this.evaluate(expr.right, env, report);
        if (left === undefined || right === undefined) return undefined;
        if (typeof left !== 'number' || typeof right !== 'number') {
          r?.report('AE2014', typeof left !== 'number' ? expr.left : expr.right, message('AE2014', { what: `each operand of \`${expr.operator}\``, expected: 'a number' }), { file });
          return undefined;
        }
        if (expr.operator === '/' && right === 0) {
          r?.report('AE2016', expr, 'division by zero', { file });
          return undefined;
        }
        return this.finite(arithmetic(expr.operator, left, right), expr, r, file);
      }
      case 'Call': {
        // `let act = leaky_relu(0.1)`: an activation with its argument is a constant word; where
        // it is used as `act = act`, the binder follows the let back to the call (dereference).
        if (expr.callee.kind === 'NameRef' && isActivation(expr.callee.name)) {
          // Only leaky_relu takes an argument (its slope): `let beta = linear(0, 4)` (a warm-up the
          // language does not have) is reported here, at the let, not where `beta` is used.
          if (expr.callee.name !== 'leaky_relu' && expr.args.length > 0) {
            r?.report('AE2006', expr.args[0]!, message('AE2006', { owner: `the activation \`${expr.callee.name}\``, expected: 'no arguments', actual: `gets ${expr.args.length}` }), {
              file,
              notes: [
                expr.callee.name === 'linear'
                  ? '`linear` is the identity activation, not a schedule: a loss weight is one number for the whole run'
                  : 'only `leaky_relu` takes an argument (its slope)',
              ],
            });
            return undefined;
          }
          const args = expr.args.map((a) => this.evaluate(a.value, env, report));
          if (args.some((a) => a === undefined)) return undefined;
          return `${expr.callee.name}(${args.map(String).join(', ')})`;
        }
        if (expr.callee.kind === 'NameRef' && isScheduleName(expr.callee.name)) {
          return bindSchedule(expr, expr.callee.name, (value) => this.evaluate(value, env, report), r, file);
        }
        r?.report('AE2010', expr, message('AE2010', { what: 'this call', reason: 'the only calls with a constant value are activations, such as `leaky_relu(0.1)`, and coefficient schedules, `ramp(...)` and `cyclic(...)`' }), { file });
        return undefined;
      }
    }
  }

  /** The value, with what evaluating it reports kept aside rather than reported (a loss coefficient
   *  is reported by the objective, with its other diagnostics). */
  evaluateCollecting(expr: Expression, env: Env): { value: ConstantValue | undefined; diagnostics: Diagnostic[] } {
    const collector = new Reporter(Infinity);
    const outer = this.reporter;
    this.reporter = collector;
    try {
      return { value: this.evaluate(expr, env, true), diagnostics: collector.diagnostics };
    } finally {
      this.reporter = outer;
    }
  }

  /** A number folding may hand on: never Infinity or NaN (the IR is JSON, and a layer of 1e309
   *  units is no layer), reported where the number is written or made. */
  private finite(value: number, at: Expression, r: Reporter | undefined, file: string): number | undefined {
    if (Number.isFinite(value)) return value;
    r?.report('AE2023', at, message('AE2023', { what: 'number', value: value > 0 ? 'infinite' : '-infinite' }), {
      file,
      notes: ['numbers must lie within ±1.7976931348623157e308'],
    });
    return undefined;
  }

  /** Evaluates a block argument once, at the call, so that a parameter passed down a chain of
   *  blocks is one look-up at each level rather than a walk back up the whole chain. What it would
   *  report is kept with the value and reported where the parameter is used (as before: an argument
   *  used only as a word, like `act = swish`, is reported by its user, not here). */
  prepareParameter(param: ParameterBinding): void {
    this.evaluateParameter(param, false);
  }

  private evaluateParameter(param: ParameterBinding, report: boolean): ConstantValue | undefined {
    let known = this.parameterValues.get(param);
    if (known === undefined) {
      const collector = new Reporter(Infinity);
      const outer = this.reporter;
      this.reporter = collector;
      this.openParameters.add(param);
      try {
        known = { value: this.evaluate(param.expr, param.env, true), diagnostics: collector.diagnostics };
      } finally {
        this.openParameters.delete(param);
        this.reporter = outer;
      }
      this.parameterValues.set(param, known);
    }
    if (report) for (const d of known.diagnostics) this.reporter.replay(d);
    return known.value;
  }

  /** Every let of `lets` once, dependencies first, so that evaluating one never recurses into
   *  another (a chain of thousands of lets is as cheap as thousands of lets side by side). Cycles are
   *  found by an explicit-stack walk and reported once each, at the first let of the cycle met in
   *  source order, with the chain; every let on a cycle then has no value. */
  evaluateAll(lets: readonly ScopedLet[]): void {
    const state = new Map<LetDeclaration, 'open' | 'done'>();
    const order: ScopedLet[] = [];
    for (const root of lets) {
      if (state.has(root.decl)) continue;
      const path: { scoped: ScopedLet; next: ScopedLet[]; at: number }[] = [];
      const enter = (scoped: ScopedLet): void => {
        state.set(scoped.decl, 'open');
        path.push({ scoped, next: letReferences(scoped), at: 0 });
      };
      enter(root);
      while (path.length > 0) {
        const top = path[path.length - 1]!;
        const dependency = top.next[top.at++];
        if (dependency === undefined) {
          state.set(top.scoped.decl, 'done');
          order.push(top.scoped);
          path.pop();
          continue;
        }
        const seen = state.get(dependency.decl);
        if (seen === undefined) enter(dependency);
        else if (seen === 'open') this.reportCycle(path.map((p) => p.scoped), dependency);
      }
    }
    for (const scoped of order) this.evaluateLet(scoped);
  }

  private reportCycle(path: readonly ScopedLet[], closing: ScopedLet): void {
    const start = path.findIndex((p) => p.decl === closing.decl);
    const cycle = path.slice(start);
    if (cycle.some((c) => this.letValues.has(c.decl))) return;
    for (const member of cycle) this.letValues.set(member.decl, undefined);
    const chain = chainText([...cycle.map((c) => c.decl.name.name), closing.decl.name.name]);
    this.reporter.report('AE2011', closing.decl.name, message('AE2011', { what: 'constant', name: closing.decl.name.name, chain }), {
      file: closing.scope.file,
    });
  }

  /** Each let once; errors are reported the first time, in the let's own file. */
  evaluateLet(scoped: ScopedLet): ConstantValue | undefined {
    const known = this.letValues.get(scoped.decl);
    if (known === PENDING) {
      const start = this.letStack.indexOf(scoped.decl.name.name);
      const chain = chainText([...this.letStack.slice(start < 0 ? 0 : start), scoped.decl.name.name]);
      this.reporter.report('AE2011', scoped.decl.name, message('AE2011', { what: 'constant', name: scoped.decl.name.name, chain }), {
        file: scoped.scope.file,
      });
      return undefined;
    }
    if (this.letValues.has(scoped.decl)) return known as ConstantValue | undefined;
    this.letValues.set(scoped.decl, PENDING);
    this.letStack.push(scoped.decl.name.name);
    const value = this.evaluate(scoped.decl.value, { scope: scoped.scope });
    this.letStack.pop();
    this.letValues.set(scoped.decl, value);
    return value;
  }
}

/** A cycle's names joined by arrows; a long one shortened in the middle (its first and last five
 *  names kept), so that a cycle through 50,000 constants is one line, not half a megabyte. */
function chainText(names: readonly string[]): string {
  if (names.length <= 12) return names.join(' → ');
  return `${names.slice(0, 5).join(' → ')} → … ${thousands(names.length - 10)} more … → ${names.slice(-5).join(' → ')}`;
}

function arithmetic(operator: '+' | '-' | '*' | '/', left: number, right: number): number {
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return left / right;
  }
}

/** The lets an expression of `scoped` reads, as evaluation would look them up (walked with an
 *  explicit stack: the expression may be as deep as the nesting limit allows). */
function letReferences(scoped: ScopedLet): ScopedLet[] {
  const found: ScopedLet[] = [];
  const pending: Expression[] = [scoped.decl.value];
  const scope = scoped.scope;
  while (pending.length > 0) {
    const expr = pending.pop()!;
    switch (expr.kind) {
      case 'NameRef': {
        const target = scope.lets.get(expr.name);
        if (target) found.push(target);
        break;
      }
      case 'MemberAccess': {
        const namespace = expr.object.kind === 'NameRef' ? scope.namespaces.get(expr.object.name) : undefined;
        const target = namespace?.lets.get(expr.member.name);
        if (target) found.push(target);
        break;
      }
      case 'ParenExpression':
        pending.push(expr.expression);
        break;
      case 'ListExpression':
        pending.push(...expr.elements);
        break;
      case 'IndexExpression':
        pending.push(expr.index, expr.object);
        break;
      case 'UnaryExpression':
        pending.push(expr.operand);
        break;
      case 'BinaryExpression':
        pending.push(expr.right, expr.left);
        break;
      case 'Call':
        // Only an activation's and a schedule's arguments are evaluated (see `evaluate`).
        if (expr.callee.kind === 'NameRef' && (isActivation(expr.callee.name) || isScheduleName(expr.callee.name))) pending.push(...expr.args.map((a) => a.value).reverse());
        break;
      default:
        break;
    }
  }
  return found;
}

/** Follows block parameters to the expression they were bound to (for words like `act = a`). */
export function dereference(expr: Expression, env: Env): { expr: Expression; env: Env } {
  let current = { expr, env };
  for (let guard = 0; guard < 100; guard++) {
    const e = current.expr;
    if (e.kind === 'ParenExpression') {
      current = { expr: e.expression, env: current.env };
      continue;
    }
    if (e.kind !== 'NameRef') return current;
    const param = current.env.params?.get(e.name);
    if (param) {
      current = { expr: param.expr, env: param.env };
      continue;
    }
    const scoped = current.env.scope.lets.get(e.name);
    if (scoped && (scoped.decl.value.kind === 'NameRef' || scoped.decl.value.kind === 'Call')) {
      current = { expr: scoped.decl.value, env: { scope: scoped.scope } };
      continue;
    }
    return current;
  }
  return current;
}
